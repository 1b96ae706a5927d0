"""Service ports are in 1-65535."""

from tiers import App, Backend, Service, ServicePort

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        services=[Service("api", ports=[ServicePort(80_000, target_port="http")])],
    )
)
