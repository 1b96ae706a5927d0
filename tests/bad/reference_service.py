"""A reference to a Service the tier does not have."""

from tiers import App, Port, Service, Tier

app = App("shop")
db = app.add(
    Tier(
        "db",
        image="postgres:16.4",
        ports=[Port(5432, "postgres")],
        services=[Service("db"), Service("db-peers", headless=True)],
    )
)
app.add(Tier("api", image="api:1.0", service="None", env={"PEERS": db.endpoint("db-peer").host}))
