"""Values with a grammar of their own: image references, URL schemes and
paths, the cluster domain."""

from tiers import App, Backend

app = App("shop", cluster_domain="bad domain..")
db = app.add(Backend("db", image="UPPER/Case:tag!!"))
app.add(
    Backend(
        "api",
        image="Nginx:1.27",
        env={"A": db.url(scheme="ht tp://"), "B": db.url(path="x\ny")},
    )
)
