"""The issue's own example: the Service forwards to a port no container listens on."""

from tiers import App, Backend, Port, Service, ServicePort

app = App("shop")
app.add(
    Backend(
        "backend",
        image="api:1.0",
        ports=[Port(8080, "http")],
        services=[
            Service(
                "backend",
                ports=[
                    ServicePort(80, name="http", target_port=8080),
                    ServicePort(81, name="alt", target_port=8081),
                ],
            )
        ],
    )
)
