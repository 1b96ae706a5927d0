"""A payments service: a Spring Boot API behind an Ingress that talks to
Postgres through a JDBC URL and to Stripe's API over HTTPS, a ledger worker
with a Redis queue, and Prometheus in ``monitoring`` scraping the API."""

from tiers import (
    App,
    Backend,
    EgressTo,
    Ingress,
    IngressFrom,
    Port,
    Postgres,
    Redis,
    SecretKeyRef,
    Storage,
    Tier,
)

app = App("payments")

db = app.add(
    Postgres(
        "postgres",
        image="postgres:16.3",
        ports=[Port(5432, "postgres")],
        storage=Storage(size="20Gi"),
        env={"POSTGRES_PASSWORD": SecretKeyRef("postgres-credentials", "password")},
    )
)
cache = app.add(Redis("cache", image="redis:7.2.5-alpine", stateful=False))
api = app.add(
    Backend(
        "api",
        image="registry.example.com/payments/api:4.2.1",
        ports=[Port(8080, "http"), Port(9090, "metrics")],
        env={
            "SPRING_DATASOURCE_URL": f"jdbc:postgresql://{db.host}:{db.port_ref()}/payments",
            "STRIPE_API_BASE": "https://api.stripe.com",
        },
        egress_to=[EgressTo(hosts=["api.stripe.com"], ports=[443])],
        ingress_from=[
            IngressFrom(
                namespace="monitoring",
                pods={"app.kubernetes.io/name": "prometheus"},
                ports=["metrics"],
            )
        ],
        ingress=Ingress(host="pay.example.com", tls_secret="pay-tls"),
    )
)
app.add(
    Tier(
        "ledger-worker",
        image="registry.example.com/payments/ledger-worker:4.2.1",
        service="None",
        env={
            "REDIS_URL": "redis://" + cache.address() + "/0",
            "DATABASE_URL": f"postgres://{db.address()}/payments",
            "API_URL": api.url(path="/internal"),
        },
    )
)
