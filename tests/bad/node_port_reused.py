"""A node port serves one Service of the app."""

from tiers import App, Port, Service, ServicePort, Tier

app = App("shop")
for name in ("api", "web"):
    app.add(
        Tier(
            name,
            image=f"{name}:1.0",
            ports=[Port(8080, "http")],
            services=[
                Service(
                    type="NodePort",
                    ports=[ServicePort(80, target_port="http", node_port=30080)],
                )
            ],
        )
    )
