"""Ports of sidecars and init containers: unique in the pod (number and
name), valid names, and a Service can target only a container that keeps running."""

from tiers import App, Backend, Container, Port, Service, ServicePort

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        services=[
            Service(
                ports=[
                    ServicePort(80, name="http", target_port="http"),
                    ServicePort(9090, name="metrics", target_port="metrics"),
                    ServicePort(9999, name="setup", target_port="setup"),
                ]
            )
        ],
        sidecars=[
            Container(
                "exporter",
                image="exporter:1.0",
                ports=[Port(8080, "metrics"), Port(9090, "http"), Port(9091, "Metrics_Port")],
            )
        ],
        init_containers=[Container("setup", image="setup:1.0", ports=[Port(7000, "setup")])],
    )
)
