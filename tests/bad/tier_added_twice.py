"""The same tier object added twice."""

from tiers import App, Backend

app = App("shop")
api = Backend("api", image="my-api:1.4.2")
app.add(api)
app.add(api)
