"""Container ports are unique in a pod: number and protocol, and name."""

from tiers import App, Port, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[
            Port(8080, "http"),
            8080,
            Port(8080, "dns", protocol="UDP"),
            Port(9090, "http"),
        ],
        service="None",
    )
)
