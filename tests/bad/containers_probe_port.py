"""A probe's named port is looked up in the probed container only."""

from tiers import App, Backend, Container, Port, Probe, Probes

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        sidecars=[
            Container(
                "exporter",
                image="exporter:1.0",
                ports=[Port(9121, "metrics")],
                probes=Probes(readiness=Probe(port="http"), liveness=Probe(port="metric")),
            )
        ],
    )
)
