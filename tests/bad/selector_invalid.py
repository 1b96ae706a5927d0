"""Selector keys and values follow the label rules; a selector is never empty."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", selector={"app": "api server"}))
app.add(Backend("web", image="web:1.0", selector={}))
