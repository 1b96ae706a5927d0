"""component= is the value of the app.kubernetes.io/component label."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", component="REST API"))
