from tiers import App, Backend, Patch

app = App("shop")
api = app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        patches=[
            Patch(
                "Deployment", {"spec": {"template": {"spec": {"nodeSelector": {"disk": "ssd"}}}}}
            ),
            Patch("Deployment", {"spec": {"minReadySecondz": 5}}),
        ],
    )
)
