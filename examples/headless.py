"""The seed's headless Service: ``headless-service`` with ``clusterIP: None``, so
that a DNS lookup returns one A record per ``stateful-app`` pod.

The seed shows only the Service; the tier defines the pods it selects.
"""

from tiers import App, Port, Security, Tier

app = App("stateful-app", namespace="stateful-app")

stateful = app.add(
    Tier(
        "stateful-app",
        image="nginx:1.27.3",
        replicas=3,
        selector={"app": "stateful-app"},
        ports=[Port(80, "http")],
        # nginx writes its cache and pid file here; the root filesystem is read-only
        security=Security(writable_paths=["/var/cache/nginx", "/var/run"]),
        service="Headless",
        service_name="headless-service",
    )
)
