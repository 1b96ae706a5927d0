"""A Service's (port, protocol) pairs are unique."""

from tiers import App, Port, Service, ServicePort, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[Port(8080, "http"), Port(8081, "admin")],
        services=[
            Service(
                "api",
                ports=[
                    ServicePort(80, name="http", target_port="http"),
                    ServicePort(80, name="admin", target_port="admin"),
                ],
            )
        ],
    )
)
