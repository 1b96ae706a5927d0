"""Init containers run to completion: no probes, and native_sidecar belongs to sidecars."""

from tiers import App, Backend, Container, Port, Probes

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        init_containers=[
            Container(
                "warm-up",
                image="warm-up:1.0",
                ports=[Port(7000, "warm")],
                probes=Probes(path="/ready"),
                native_sidecar=True,
            )
        ],
    )
)
