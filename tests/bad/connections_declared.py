"""Errors: connections declared with values that cannot be right."""

from tiers import App, Backend, EgressTo, ExternalService, IngressFrom, MySQL, NotSecret, Tier

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
ldap = ExternalService("ldap", namespace="directory", ports=[389])
stray = Backend("stray", image="stray:1.0")
app.add(
    Backend(
        "api",
        image="api:1.0",
        peers=["gossip"],
        calls=[stray, db.port_ref(5432), db.endpoint("mysql-primary"), ldap],
        env={
            "NO_SCHEME": db.url(scheme=""),
            "SCHEME_WITH_SLASHES": db.url(scheme="mysql://"),
            "JDBC": db.url(scheme="jdbc:mysql"),
            "CUT": f"{db.host}"[:2],
        },
        ingress_from=[
            IngressFrom(),
            IngressFrom(namespace="monitoring", cidrs=["10.0.0.0/8"]),
            IngressFrom(cidrs=["10.0.0.1/8", "10.1.2.3"], ports=["metrics"]),
            IngressFrom(namespace="Monitoring", pods={"app": "prom etheus"}),
        ],
        egress_to=[
            EgressTo(hosts=["https://api.stripe.com/v1"], ports=[443]),
            EgressTo(cidrs=["203.0.113.0/24"], internet=True, ports=[70000]),
            EgressTo(internet=True),
        ],
    )
)
app.add(Tier("worker", image="worker:1.0", service="None", args=[f"--db={db.address()}"]))
