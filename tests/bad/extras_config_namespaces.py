from tiers import App, ConfigMap, Frontend

conf = ConfigMap("common", data={"log_level": "info"})
app = App("shop")
app.add(Frontend("web", env={"LOG_LEVEL": conf.key("log_level")}))
app.add(Frontend("admin", namespace="admin", env={"LOG_LEVEL": conf.key("log_level")}))
