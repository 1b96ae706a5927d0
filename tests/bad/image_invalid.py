"""An image is required and has no spaces."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image=""))
app.add(Backend("web", image="web:1.0 --debug"))
