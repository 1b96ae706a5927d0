"""Two tiers make the same Deployment in one namespace."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", workload_name="server"))
app.add(Backend("web", image="web:1.0", workload_name="server"))
