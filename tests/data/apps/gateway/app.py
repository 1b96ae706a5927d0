"""An nginx gateway whose configuration, baked into its image, proxies to
``http://inventory`` and ``orders:8080`` and rate-limits through the Redis
Service ``cache-primary``: fixed DNS names, declared with ``calls``."""

from tiers import App, Port, Redis, Security, Service, ServicePort, Tier

app = App("storefront")

cache = app.add(
    Redis(
        "cache",
        image="redis:7.2.5-alpine",
        stateful=False,
        services=[
            Service("cache-primary", ports=[ServicePort(6379, name="redis")]),
            Service("cache-replica", ports=[ServicePort(6380, target_port="redis", name="redis")]),
        ],
    )
)
inventory = app.add(
    Tier(
        "inventory",
        image="registry.example.com/storefront/inventory:1.8.0",
        ports=[Port(8080, "http")],
        port=80,
        service_name="inventory",
    )
)
orders = app.add(
    Tier(
        "orders",
        image="registry.example.com/storefront/orders:3.1.4",
        ports=[Port(8080, "http")],
        service_name="orders",
        env={
            "INVENTORY_URL": inventory.url(),
            "CACHE_READ_ADDR": cache.endpoint("cache-replica").address(),
        },
    )
)
app.add(
    Tier(
        "gateway",
        image="registry.example.com/storefront/gateway:2.0.3",
        ports=[Port(8080, "http")],
        port=80,
        service="LoadBalancer",
        security=Security(writable_paths=["/var/cache/nginx", "/var/run"]),
        calls=[inventory, orders.port_ref(8080), cache.endpoint("cache-primary")],
    )
)
