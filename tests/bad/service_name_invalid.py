"""A Service name is a DNS-1035 label, from service_name= or Service(name)."""

from tiers import App, Backend, Service

app = App("shop")
app.add(Backend("api", image="api:1.0", service_name="2api"))
app.add(
    Backend(
        "web",
        image="web:1.0",
        services=[Service("web.public", ports=None)],
    )
)
