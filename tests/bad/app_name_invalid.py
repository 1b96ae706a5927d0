"""The app's name is a label value: no spaces."""

from tiers import App, Backend

app = App("My Shop", namespace="shop")
app.add(Backend("backend", image="api:1.0"))
