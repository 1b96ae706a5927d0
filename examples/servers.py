"""A shop on the servers tiers knows: PostgreSQL for orders, Redis for
sessions, RabbitMQ for events, and a JVM service that takes a minute or two to
start (its startup probe holds liveness back), behind the nginx frontend.
The orders service reads its credentials from files (``*_FILE``); RabbitMQ,
whose image has no ``*_FILE`` variables, gets its default user written into
its ``conf.d`` by an init container, so no credential is an env value.

Every credential comes from a Secret created once per cluster, outside Git::

    kubectl -n shop create secret generic db-credentials --from-literal=password=...
    kubectl -n shop create secret generic queue-credentials \\
        --from-literal=username=shop --from-literal=password=...
"""

from tiers import (
    App,
    Backend,
    Frontend,
    Ingress,
    IngressPath,
    Postgres,
    Probes,
    RabbitMQ,
    Redis,
    SecretKeyRef,
)

app = App("shop", namespace="shop")

db = app.add(
    Postgres(
        "db",
        env={
            "POSTGRES_PASSWORD": SecretKeyRef("db-credentials", "password"),
            "POSTGRES_DB": "orders",
        },
    )
)
cache = app.add(Redis("cache"))
queue = app.add(
    RabbitMQ(
        "queue",
        env={
            "RABBITMQ_DEFAULT_USER": SecretKeyRef("queue-credentials", "username"),
            "RABBITMQ_DEFAULT_PASS": SecretKeyRef("queue-credentials", "password"),
        },
    )
)
orders = app.add(
    Backend(
        "orders",
        image="registry.example.com/shop/orders:5.2.0",
        replicas=2,
        probes=Probes("/actuator/health", startup_seconds=180),
        env={
            "DATABASE_URL": db.url(path="/orders"),
            "DATABASE_PASSWORD": SecretKeyRef(
                "db-credentials", "password", file_env="DATABASE_PASSWORD_FILE"
            ),
            "REDIS_ADDRESS": cache.address(),
            "AMQP_URL": queue.url(),
            "AMQP_USER": SecretKeyRef("queue-credentials", "username", file_env="AMQP_USER_FILE"),
            "AMQP_PASSWORD": SecretKeyRef(
                "queue-credentials", "password", file_env="AMQP_PASSWORD_FILE"
            ),
        },
    )
)
web = app.add(Frontend("web", replicas=2, env={"API_URL": orders.url()}))
app.add(
    Ingress(
        "shop",
        host="shop.example.com",
        tls_secret="shop-tls",
        paths=[IngressPath("/api", orders.port_ref()), IngressPath("/", web.port_ref())],
    )
)
