"""Sidecars and init containers: an API tier with a metrics exporter that
talks to the cache (so the API's NetworkPolicy opens egress to it), a TLS
proxy run as a Kubernetes native sidecar that the Service targets by port
name, and an init container that migrates the database before the API
starts. Every container gets the restricted security context, resources,
probes (sidecars with ports) and a writable ``/tmp`` of its own."""

from tiers import (
    App,
    Backend,
    Container,
    IngressFrom,
    Port,
    Redis,
    Resources,
    SecretKeyRef,
    Service,
    ServicePort,
)

app = App("orders", namespace="orders")

# a cache only: a Deployment, with an emptyDir where Redis saves its snapshots
cache = app.add(Redis("cache", image="redis:7.4.1", stateful=False))
api = app.add(
    Backend(
        "api",
        image="registry.example.com/orders/api:2.3.0",
        services=[
            Service(
                ports=[
                    ServicePort(443, name="https", target_port="https"),
                    ServicePort(9121, name="metrics", target_port="metrics"),
                ]
            )
        ],
        env={"LOG_LEVEL": "info"},
        sidecars=[
            Container(
                "tls-proxy",
                image="envoyproxy/envoy:v1.31.3",
                ports=[Port(8443, "https")],
                native_sidecar=True,
                resources=Resources(cpu="100m", memory="64Mi"),
            ),
            Container(
                "cache-exporter",
                image="oliver006/redis_exporter:v1.66.0",
                ports=[Port(9121, "metrics")],
                env={
                    "REDIS_ADDR": cache.url("redis"),
                    "REDIS_PASSWORD": SecretKeyRef(
                        "cache-auth", "password", file_env="REDIS_PASSWORD_FILE"
                    ),
                },
            ),
        ],
        init_containers=[
            Container(
                "migrate",
                image="registry.example.com/orders/api:2.3.0",
                command=["/app/migrate"],
                env={
                    "DATABASE_URL": SecretKeyRef("orders-db", "url", file_env="DATABASE_URL_FILE")
                },
            )
        ],
        # the callers: the ingress controller on https, Prometheus on metrics
        ingress_from=[
            IngressFrom(namespace="ingress-nginx", ports=["https"]),
            IngressFrom(namespace="monitoring", ports=["metrics"]),
        ],
    )
)
