"""The seed's multi-port Service: ``multi-port-service`` exposes http, https and
metrics, each mapped to its own container port of the ``my-app`` pods.

The seed shows only the Service; the tier defines the pods it selects, with
container ports that match the Service's target ports, and the callers the
seed leaves unsaid: the cluster's ingress controller on http and https,
Prometheus (namespace ``monitoring``) on metrics.
"""

from tiers import App, IngressFrom, Port, Service, ServicePort, Tier

app = App("my-app", namespace="my-app")

my_app = app.add(
    Tier(
        "my-app",
        image="my-app:1.0.0",
        selector={"app": "my-app"},
        ports=[Port(8080, "http"), Port(8443, "https"), Port(9090, "metrics")],
        services=[
            Service(
                "multi-port-service",
                ports=[
                    ServicePort(80, name="http", target_port=8080),
                    ServicePort(443, name="https", target_port=8443),
                    ServicePort(9000, name="metrics", target_port=9090),
                ],
            )
        ],
        ingress_from=[
            IngressFrom(namespace="ingress-nginx", ports=["http", "https"]),
            IngressFrom(namespace="monitoring", ports=["metrics"]),
        ],
    )
)
