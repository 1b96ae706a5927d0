"""The seed's headless Service: ``headless-service`` with ``clusterIP: None``, so
that a DNS lookup returns one A record per ``stateful-app`` pod.

The seed shows only the Service; the tier defines the pods it selects, and
who calls them: the cluster's ingress controller, which balances over the
pods the Service's records list.
"""

from tiers import App, Frontend, IngressFrom, Port

app = App("stateful-app", namespace="stateful-app")

# Frontend knows where nginx writes (its cache and pid file), under a read-only root
stateful = app.add(
    Frontend(
        "stateful-app",
        image="nginx:1.27.3",
        replicas=3,
        selector={"app": "stateful-app"},
        ports=[Port(80, "http")],
        port=None,
        service="Headless",
        service_name="headless-service",
        ingress_from=[IngressFrom(namespace="ingress-nginx", ports=["http"])],
    )
)
