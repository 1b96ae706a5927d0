"""A reference to a tier without a Service."""

from tiers import App, Backend, Tier

app = App("shop")
worker = app.add(Tier("worker", image="worker:1.0", service="None"))
app.add(Backend("api", image="api:1.0", env={"WORKER": worker.host}))
