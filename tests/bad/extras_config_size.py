from tiers import App, ConfigMap, Frontend

big = ConfigMap("big", data={"blob.txt": "x" * (1024 * 1024)})
app = App("shop")
app.add(Frontend("web", mounts={"/srv/data": big}))
