"""A reference to a second object with the name of a tier in the app."""

from tiers import App, Backend, MySQL

app = App("shop")
app.add(MySQL("mysql"))
db = MySQL("mysql")
app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host}))
