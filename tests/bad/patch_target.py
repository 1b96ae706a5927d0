"""Patches must name one object of the tier, and leave its identity alone."""

from tiers import App, Patch, Service, Tier

app = App("shop")
app.add(
    Tier(
        "web",
        image="nginx:1.27.3",
        ports=[8080],
        services=[Service("web"), Service("web-peers", headless=True)],
        patches=[
            Patch("Service", {"spec": {"sessionAffinity": "ClientIP"}}),
            Patch("Service", {"spec": {}}, name="web-peer"),
            Patch("Deployment", {"metadata": {"name": "web-v2", "namespace": "other"}}),
        ],
    )
)
