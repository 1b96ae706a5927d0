"""Many mistakes at once: all are reported, sorted by line."""

from tiers import App, Backend, Frontend, MySQL, Port

app = App("shop")
db = app.add(MySQL("mysql", service="NodePort", replicas=-1))
api = app.add(
    Backend(
        "api",
        image="api:latest",
        ports=[Port(8080, "http"), Port(8080, "http")],
        target_port=8000,
        env={"DB-HOST": db.host, "DB_PORT": db.port_ref(3307)},
    )
)
app.add(Frontend("Web", env={"API": api.url(path="v1")}, labels={"tier": "front end"}))
