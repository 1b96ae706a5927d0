from tiers import App, Autoscale, Backend

app = App("shop")
app.add(
    Backend(
        "api",
        image="my-api:1.0",
        replicas=3,
        autoscale=Autoscale(min_replicas=2, max_replicas=6, cpu=70),
    )
)
