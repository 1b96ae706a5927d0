from tiers import App, ConfigMap, Frontend

conf = ConfigMap("web-conf", data={"log_level": "info"})
app = App("shop")
app.add(Frontend("web", env={"LOG_LEVEL": conf.key("log-level")}))
