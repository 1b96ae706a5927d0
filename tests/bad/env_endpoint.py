"""A tier's Service endpoint (or the tier itself) given as an env value."""

from tiers import App, Backend, Service

app = App("shop")
db = app.add(Backend("db", image="my-db:1.0", services=[Service("db-service")]))
app.add(Backend("api", image="my-api:1.4.2", env={"DB": db.endpoint("db-service"), "DB2": db}))
