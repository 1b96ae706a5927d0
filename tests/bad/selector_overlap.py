"""A Service must select its own tier's pods only."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", selector={"app": "shop"}))
app.add(Backend("web", image="web:1.0", selector={"app": "shop"}))
