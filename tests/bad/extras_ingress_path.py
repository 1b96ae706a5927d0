from tiers import App, Frontend, Ingress, IngressPath

app = App("shop")
app.add(Frontend("web", ingress=Ingress(host="shop.example.com", paths=["api", IngressPath("/")])))
