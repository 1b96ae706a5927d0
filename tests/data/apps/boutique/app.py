"""A shop of gRPC microservices in the style of Google's Online Boutique: each
service finds the others through ``NAME_SERVICE_ADDR=host:port`` variables."""

from tiers import App, Port, Redis, Storage, Tier
from tiers.model.app import EnvValue

app = App("boutique")
IMAGES = "us-central1-docker.pkg.dev/google-samples/microservices-demo"


def grpc(name: str, port: int, env: dict[str, EnvValue] | None = None) -> Tier:
    """A gRPC service listening on ``port``, behind the Service ``<name>service``."""
    return Tier(
        name,
        image=f"{IMAGES}/{name}service:v0.10.1",
        ports=[Port(port, "grpc")],
        service_name=f"{name}service",
        env=env or {},
    )


redis = app.add(Redis("redis-cart", image="redis:7.2.5-alpine", storage=Storage(size="1Gi")))
catalog = app.add(grpc("productcatalog", 3550))
currency = app.add(grpc("currency", 7000))
cart = app.add(grpc("cart", 7070, env={"REDIS_ADDR": redis.address()}))
payment = app.add(grpc("payment", 50051))
shipping = app.add(grpc("shipping", 50051))
email = app.add(grpc("email", 8080))
checkout = app.add(
    grpc(
        "checkout",
        5050,
        env={
            "PRODUCT_CATALOG_SERVICE_ADDR": catalog.address(),
            "SHIPPING_SERVICE_ADDR": shipping.address(),
            "PAYMENT_SERVICE_ADDR": payment.address(),
            "EMAIL_SERVICE_ADDR": email.address(),
            "CURRENCY_SERVICE_ADDR": currency.address(),
            "CART_SERVICE_ADDR": cart.address(),
        },
    )
)
recommendation = app.add(
    grpc("recommendation", 8080, env={"PRODUCT_CATALOG_SERVICE_ADDR": catalog.address()})
)
app.add(
    Tier(
        "frontend",
        image=f"{IMAGES}/frontend:v0.10.1",
        ports=[Port(8080, "http")],
        port=80,
        service="LoadBalancer",
        env={
            "PRODUCT_CATALOG_SERVICE_ADDR": catalog.address(),
            "CURRENCY_SERVICE_ADDR": currency.address(),
            "CART_SERVICE_ADDR": cart.address(),
            "RECOMMENDATION_SERVICE_ADDR": recommendation.address(),
            "SHIPPING_SERVICE_ADDR": shipping.address(),
            "CHECKOUT_SERVICE_ADDR": checkout.address(),
        },
    )
)
