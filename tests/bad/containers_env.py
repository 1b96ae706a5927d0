"""Env of sidecars and init containers: names, credentials kept out of Git,
references resolved like the tier's own, images pinned; each reported at its field."""

from tiers import App, Backend, Container, MySQL, NotSecret, Tier

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
worker = Tier("worker", image="worker:1.0", service="None")
app.add(worker)
ghost = MySQL("ghost", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
app.add(
    Backend(
        "api",
        image="api:1.0",
        sidecars=[
            Container(
                "exporter",
                image="exporter",
                env={
                    "DB_PASSWORD": "hunter2",
                    "1BAD": "x",
                    "DATA_SOURCE": db.url("mysql", path="/shop"),
                    "WORKER": worker.host,
                },
            )
        ],
        init_containers=[
            Container(
                "migrate",
                image="api:latest",
                env={"DB_HOST": ghost.host, "GREETING": "$(NAME)"},
            )
        ],
    )
)
