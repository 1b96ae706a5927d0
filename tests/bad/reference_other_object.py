"""A reference to a second object with the name of a tier in the app."""

from tiers import App, Backend, MySQL, NotSecret

app = App("shop")
app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
db = MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host}))
