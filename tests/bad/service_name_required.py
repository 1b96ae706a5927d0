"""Only a tier's first Service may leave its name out."""

from tiers import App, Port, Service, Tier

app = App("shop")
app.add(
    Tier(
        "db",
        image="postgres:16.4",
        ports=[Port(5432, "postgres")],
        services=[Service(), Service(headless=True)],
    )
)
