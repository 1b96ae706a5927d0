"""A Deployment name is a DNS-1123 subdomain."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", workload_name="api_server"))
