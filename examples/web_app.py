"""The seed's first example: an nginx Deployment ``web-app`` with three replicas
behind the ClusterIP Service ``web-service``, selecting pods labelled ``app: web``."""

from tiers import App, Port, Security, Tier

app = App("web", namespace="web")

web = app.add(
    Tier(
        "web",
        image="nginx:latest",
        replicas=3,
        workload_name="web-app",
        container_name="nginx",
        selector={"app": "web"},
        ports=[Port(80, "http")],
        # nginx writes its cache and pid file here; the root filesystem is read-only
        security=Security(writable_paths=["/var/cache/nginx", "/var/run"]),
        service="ClusterIP",
        service_name="web-service",
    )
)
