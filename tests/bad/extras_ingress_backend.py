from tiers import App, Backend, Frontend, Ingress, IngressPath, Tier

app = App("shop")
api = app.add(Backend("api", image="my-api:1.0"))
web = app.add(Frontend("web"))
worker = app.add(Tier("worker", image="my-worker:1.0", service="None"))
elsewhere = Frontend("elsewhere")
app.add(
    Ingress(
        host="shop.example.com",
        paths=[
            IngressPath("/api", api.port_ref("htp")),
            IngressPath("/jobs", worker.port_ref()),
            IngressPath("/old", elsewhere.port_ref()),
            "/",
        ],
    )
)
app.add(Frontend("edge", ingress=Ingress(port="https")))
