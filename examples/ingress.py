"""A shop behind one Ingress with TLS: the frontend at ``/``, the API at
``/api``, both on ``shop.example.com``; the frontend scales between 2 and 6
replicas on CPU, with a disruption budget and spread across nodes."""

from tiers import (
    App,
    Autoscale,
    Backend,
    Frontend,
    Ingress,
    IngressPath,
    MySQL,
    NotSecret,
)

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL("mysql", env={"MYSQL_DATABASE": "shop", "MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
)
backend = app.add(
    Backend(
        "backend",
        image="registry.example.com/shop/backend:1.4.2",
        replicas=2,
        env={"DB_HOST": mysql.host, "DB_PORT": mysql.port_ref()},
    )
)
frontend = app.add(
    Frontend(
        "frontend",
        autoscale=Autoscale(min_replicas=2, max_replicas=6, cpu=70),
        env={"API_URL": backend.url()},
    )
)
app.add(
    Ingress(
        "shop",
        host="shop.example.com",
        tls_secret="shop-tls",
        paths=[
            IngressPath("/api", backend.port_ref()),
            IngressPath("/", frontend.port_ref()),
        ],
    )
)
