"""A warning: a database behind a LoadBalancer is reachable from outside the cluster."""

from tiers import App, MySQL, NotSecret

app = App("shop")
app.add(
    MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, service="LoadBalancer")
)
