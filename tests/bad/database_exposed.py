"""A warning: a database behind a LoadBalancer is reachable from outside the cluster."""

from tiers import App, MySQL

app = App("shop")
app.add(MySQL("mysql", service="LoadBalancer"))
