from tiers import App, Frontend, Ingress, IngressRule

app = App("shop")
app.add(Frontend("web", ingress=Ingress(host="Shop_Example.com")))
app.add(
    Frontend(
        "admin",
        ingress=Ingress(rules=[IngressRule("*.*.example.com"), IngressRule("10.0.0.1")]),
    )
)
