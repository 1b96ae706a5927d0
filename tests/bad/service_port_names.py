"""Several Service ports each need a name; names are unique DNS-1123 labels."""

from tiers import App, Port, Service, ServicePort, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[Port(8080, "http"), Port(8443, "https"), Port(9090, "metrics")],
        services=[
            Service(
                "api",
                ports=[
                    ServicePort(80, target_port=8080),
                    ServicePort(443, name="HTTPS", target_port=8443),
                    ServicePort(9090, name="web", target_port=9090),
                    ServicePort(9091, name="web", target_port=9090),
                ],
            )
        ],
    )
)
