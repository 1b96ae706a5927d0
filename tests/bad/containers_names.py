"""Container names are DNS-1123 labels and unique in the pod, init containers included."""

from tiers import App, Backend, Container

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        sidecars=[
            Container("Log_Shipper", image="fluent/fluent-bit:3.1.9"),
            Container("api", image="envoyproxy/envoy:v1.31.3"),
        ],
        init_containers=[
            Container("migrate", image="api:1.0"),
            Container("migrate", image="api:1.0"),
        ],
    )
)
