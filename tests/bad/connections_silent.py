"""Warnings: connections the NetworkPolicies would deny without a word."""

from tiers import App, Backend, Frontend, Port, Service, ServicePort, Tier

app = App("shop")
cache = app.add(
    Tier(
        "cache",
        image="redis:7.2.5",
        ports=[Port(6379, "redis")],
        services=[
            Service("cache-primary", ports=[ServicePort(6379, name="redis")]),
            Service("cache-replica", ports=[ServicePort(6380, target_port="redis", name="redis")]),
        ],
    )
)
inventory = app.add(Backend("inventory", image="inventory:1.0", port=80, service_name="inventory"))
orders = app.add(Backend("orders", image="orders:1.0", service_name="orders"))
app.add(Backend("audit", image="audit:1.0"))
app.add(
    Frontend(
        "web",
        image="web:1.0",
        service="LoadBalancer",
        env={
            "CACHE_HOST": "cache-primary",
            "INVENTORY_ADDR": "inventory:80",
            "ORDERS_URL": "http://orders/api",
            "JDBC": "jdbc:mysql://orders.shop.svc.cluster.local:8080/db",
            "LOG_LEVEL": "info",
        },
    )
)
