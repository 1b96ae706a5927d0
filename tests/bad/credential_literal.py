"""A password written into the app, and so into Git."""

from tiers import App, MySQL

app = App("shop")
app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": "password"}))
