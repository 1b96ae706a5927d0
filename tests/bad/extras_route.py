from tiers import App, Backend, GatewayRef, HTTPRoute, IngressPath

app = App("shop")
api = app.add(Backend("api", image="my-api:1.0"))
app.add(
    HTTPRoute(
        "api",
        gateway=GatewayRef("public", namespace="Gateways"),
        hostnames=["API.example.com"],
        paths=[
            IngressPath("v1", api.port_ref()),
            IngressPath("/v2", api.port_ref(), path_type="ImplementationSpecific"),
        ],
    )
)
