"""Two tiers with one name."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0"))
app.add(Backend("api", image="api:2.0"))
