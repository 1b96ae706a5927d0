"""A tier's name is at most 63 characters."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("b" * 64, image="api:1.0"))
