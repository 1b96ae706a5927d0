"""The seed's headless Service: ``headless-service`` with ``clusterIP: None``, so
that a DNS lookup returns one A record per ``stateful-app`` pod.

The seed shows only the Service; the tier defines the pods it selects.
"""

from tiers import App, Port, Tier

app = App("stateful-app", namespace="stateful-app")

stateful = app.add(
    Tier(
        "stateful-app",
        image="nginx:1.27.3",
        replicas=3,
        selector={"app": "stateful-app"},
        ports=[Port(80, "http")],
        service="Headless",
        service_name="headless-service",
    )
)
