"""An order service with Postgres, Redis, RabbitMQ, a slow-starting JVM
service and a web frontend, written from the README alone: the kinds for the
servers, their credentials from Secrets created outside Git, references for
every address, and for the JVM service a general ``Tier`` with
``Probes(startup_seconds=...)`` as "Running any image" shows.

Create the Secrets before applying::

    kubectl -n orders create secret generic db-credentials --from-literal=password=...
    kubectl -n orders create secret generic mq-credentials \\
        --from-literal=username=orders --from-literal=password=...
"""

from tiers import App, Frontend, Postgres, Probes, RabbitMQ, Redis, SecretKeyRef, Tier

app = App("orders", namespace="orders")

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
mq = app.add(
    RabbitMQ(
        "mq",
        env={
            "RABBITMQ_DEFAULT_USER": SecretKeyRef("mq-credentials", "username"),
            "RABBITMQ_DEFAULT_PASS": SecretKeyRef("mq-credentials", "password"),
        },
    )
)
orders = app.add(
    Tier(
        "orders",
        image="example/orders-jvm:5.2",
        ports=[8080],
        probes=Probes("/actuator/health", startup_seconds=180),
        env={
            "DATABASE_URL": db.url(path="/orders"),
            "DATABASE_PASSWORD": SecretKeyRef("db-credentials", "password"),
            "REDIS_URL": cache.url(),
            "AMQP_URL": mq.url(),
            "AMQP_USER": SecretKeyRef("mq-credentials", "username"),
            "AMQP_PASSWORD": SecretKeyRef("mq-credentials", "password"),
        },
    )
)
web = app.add(
    Frontend(
        "web", image="example/orders-web:1.0", service="LoadBalancer", env={"API_URL": orders.url()}
    )
)
