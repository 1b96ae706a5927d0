"""A Service needs a port, unless it is headless."""

from tiers import App, Port, Service, Tier

app = App("shop")
app.add(Tier("worker", image="worker:1.0"))
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[Port(8080, "http")],
        services=[Service("api", ports=[]), Service("api-peers", headless=True, ports=[])],
    )
)
