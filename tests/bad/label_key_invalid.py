"""Label keys: an optional DNS subdomain prefix, a name of at most 63 characters."""

from tiers import App, Backend

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        labels={"team name": "payments", "Example.com/tier": "api", "x/" + "k" * 64: "v"},
    )
)
