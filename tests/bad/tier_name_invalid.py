"""A tier's name names its Deployment, container and Service."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("Backend_API", image="api:1.0"))
