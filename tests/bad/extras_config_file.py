from pathlib import Path

from tiers import App, ConfigMap, Frontend

conf = ConfigMap(
    "web-conf",
    data={"default.conf": "server {}"},
    files={"default.conf": Path("conf/default.conf"), "missing.conf": Path("conf/missing.conf")},
)
app = App("shop")
app.add(Frontend("web", mounts={"/etc/nginx/conf.d": conf}))
