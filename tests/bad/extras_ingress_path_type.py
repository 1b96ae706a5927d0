from tiers import App, Frontend, Ingress, IngressPath

app = App("shop")
web = app.add(Frontend("web"))
app.add(Ingress("shop", paths=[IngressPath("/", web.port_ref(), path_type="Regex")]))
