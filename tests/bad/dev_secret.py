"""A warning: a development Secret's value ends up in Git."""

from tiers import App, DevSecret, MySQL

app = App("shop")
app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": DevSecret("dev-only")}))
