"""A reference to a tier that has errors of its own."""

from tiers import App, Backend

app = App("shop")
api = app.add(Backend("api", image="api:1.0", replicas="2"))
app.add(Backend("web", image="web:1.0", env={"API_URL": api.url()}))
