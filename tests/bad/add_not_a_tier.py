"""app.add() of something that is not a tier: reported at the add, not the App."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="my-api:1.4.2"))

app.add("x")
