"""The app's namespace, and a tier's own, are DNS-1123 labels."""

from tiers import App, Backend

app = App("shop", namespace="Shop_Prod")
app.add(Backend("backend", image="api:1.0", namespace="data.eu"))
