"""Diagnostics in two files, sorted by file and line: the database comes from a module."""

from lib.common import database

from tiers import App, Backend

app = App("shop")
db = app.add(database("mysql"))
app.add(Backend("api", image="api:1.0", env={"DB": db.host}))
app.add(Backend("web", image="web:1.0", replicas=-1))
