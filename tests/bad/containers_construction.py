"""Containers built with wrong values are reported at their field, all at once."""

from tiers import App, Backend, Container

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        sidecars=[Container("shipper", image=5, prots=[2020]), Container("agent")],
        init_containers=["migrate"],
    )
)
