"""The seed's first example: an nginx Deployment ``web-app`` with three replicas
behind the ClusterIP Service ``web-service``, selecting pods labelled ``app: web``.

``Frontend`` knows where nginx writes (its cache and pid file) under a read-only
root. The seed's ``nginx:latest`` is pinned, and the Service admits the
cluster's ingress controller (namespace ``ingress-nginx``): the seed leaves its
callers unsaid, and a NetworkPolicy admits only the callers it names.
"""

from tiers import App, Frontend, IngressFrom, Port

app = App("web", namespace="web")

web = app.add(
    Frontend(
        "web",
        image="nginx:1.27.3",
        replicas=3,
        workload_name="web-app",
        container_name="nginx",
        selector={"app": "web"},
        ports=[Port(80, "http")],
        service="ClusterIP",
        service_name="web-service",
        ingress_from=[IngressFrom(namespace="ingress-nginx", ports=["http"])],
    )
)
