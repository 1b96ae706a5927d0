"""Only a ClusterIP Service can be headless."""

from tiers import App, Port, Service, Tier

app = App("shop")
app.add(
    Tier(
        "db",
        image="postgres:16.4",
        ports=[Port(5432, "postgres")],
        services=[Service("db", type="NodePort", headless=True)],
    )
)
