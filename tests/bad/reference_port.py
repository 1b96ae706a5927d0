"""A reference to a port the tier does not expose on its Service."""

from tiers import App, Backend, MySQL, NotSecret

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
api = app.add(Backend("api", image="api:1.0"))
app.add(
    Backend(
        "web",
        image="web:1.0",
        env={"API_URL": api.url(port=8080), "DB_PORT": db.port_ref("mysqll")},
    )
)
