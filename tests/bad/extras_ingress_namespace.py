from tiers import App, Frontend, Ingress, IngressPath

app = App("shop")
web = app.add(Frontend("web", namespace="web"))
app.add(Ingress("shop", host="shop.example.com", paths=[IngressPath("/", web.port_ref())]))
