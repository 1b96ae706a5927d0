"""port=, target_port=, service= and service_name= are for one Service; not with services=."""

from tiers import App, Backend, Service

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        port=8000,
        service_name="api-svc",
        services=[Service("api")],
    )
)
