"""A reference to a tier that was never added to the app."""

from tiers import App, Backend, MySQL, NotSecret

app = App("shop")
app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
app.add(Backend("backend", image="api:1.0"))
cache = MySQL("mysq1", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
web = Backend("web", image="web:1.0", env={"DB_HOST": cache.host})
app.add(web)
