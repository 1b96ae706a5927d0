from tiers import App, ConfigMap, Frontend

conf = ConfigMap("Web_Conf", data={"conf/default.conf": "server {}"})
app = App("shop")
app.add(Frontend("web", mounts={"etc/nginx": conf}))
