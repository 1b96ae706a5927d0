"""A container name is a DNS-1123 label: no dots, no capitals."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", container_name="API.v2"))
