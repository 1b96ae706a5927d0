"""A Service port with a target, on a tier whose container listens on nothing."""

from tiers import App, Tier

app = App("shop")
app.add(Tier("api", image="api:1.0", port=80, target_port=8080))
