"""Two tiers make the same Service in one namespace."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", service_name="backend"))
app.add(Backend("backend", image="backend:1.0", service_name="backend"))
