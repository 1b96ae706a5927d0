from tiers import App, Frontend, Ingress, IngressPath

app = App("shop")
web = app.add(Frontend("web", ingress=Ingress(host="shop.example.com")))
beta = app.add(Frontend("beta"))
app.add(Ingress("beta", host="shop.example.com", paths=[IngressPath("/", beta.port_ref())]))
