"""nodePort: for NodePort or LoadBalancer Services only, in 30000-32767."""

from tiers import App, Port, Service, ServicePort, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[Port(8080, "http")],
        services=[
            Service("api", ports=[ServicePort(80, target_port="http", node_port=30080)]),
            Service(
                "api-public",
                type="NodePort",
                ports=[ServicePort(80, target_port="http", node_port=8080)],
            ),
        ],
    )
)
