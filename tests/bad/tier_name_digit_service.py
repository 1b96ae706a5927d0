"""A tier's default Service name ('<tier>-service') must start with a letter."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("1api", image="api:1.0"))
