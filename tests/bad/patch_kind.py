"""A patch for a kind the tier does not emit."""

from tiers import App, Patch, Tier

app = App("shop")
app.add(
    Tier(
        "web",
        image="nginx:1.27.3",
        ports=[8080],
        patches=[
            Patch("Deployment", {"spec": {"minReadySeconds": 5}}),
            Patch("Statefulset", {"spec": {"replicas": 2}}),
        ],
    )
)
