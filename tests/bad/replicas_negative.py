"""replicas is 0 or more."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", replicas=-2))
