"""Container ports are in 1-65535."""

from tiers import App, Port, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[
            Port(0, "zero"),
            70000,
        ],
        service="None",
    )
)
