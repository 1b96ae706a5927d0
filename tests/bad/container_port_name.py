"""Container port names are IANA service names."""

from tiers import App, Port, Tier

app = App("shop")
app.add(
    Tier(
        "api",
        image="api:1.0",
        ports=[
            Port(8080, "http-alternative-port"),
            Port(8081, "8081"),
            Port(8082, "metrics--v2"),
            Port(8083, "Admin"),
        ],
        service="None",
    )
)
