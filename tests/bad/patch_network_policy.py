"""Error: a Patch that would drop the NetworkPolicy rules tiers generated."""

from tiers import App, Backend, MySQL, NotSecret, Patch

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
app.add(
    Backend(
        "api",
        image="api:1.0",
        env={"DB_HOST": db.host},
        patches=[Patch("NetworkPolicy", {"spec": {"egress": None}})],
    )
)
