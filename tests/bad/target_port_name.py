"""A targetPort by name must be a container port's name."""

from tiers import App, Port, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[Port(8080, "http"), Port(9090, "metrics")],
        port=80,
        target_port="metric",
    )
)
app.add(Tier("web", image="web:1.0", ports=[Port(8080, "http")], port=80, target_port="admin"))
