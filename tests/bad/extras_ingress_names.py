from tiers import App, Frontend, Ingress

app = App("shop")
app.add(
    Frontend(
        "web",
        ingress=Ingress(
            "Web_Ingress", host="shop.example.com", tls_secret="Shop_TLS", ingress_class="my nginx"
        ),
    )
)
