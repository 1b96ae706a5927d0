from tiers import App, Backend, DisruptionBudget

app = App("shop")
app.add(
    Backend(
        "api",
        image="my-api:1.0",
        replicas=3,
        disruption_budget=DisruptionBudget(max_unavailable=1, min_available="150%"),
    )
)
app.add(
    Backend(
        "jobs",
        image="my-jobs:1.0",
        replicas=2,
        disruption_budget=DisruptionBudget(min_available=2),
    )
)
