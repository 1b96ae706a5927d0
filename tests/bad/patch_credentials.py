"""Credentials set through a patch: an env var, an argument, an annotation."""

from tiers import App, Backend, Patch

app = App("shop")
app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        patches=[
            Patch(
                "Deployment",
                {
                    "metadata": {"annotations": {"example.com/deploy-token": "abc123"}},
                    "spec": {
                        "template": {
                            "spec": {
                                "containers": [
                                    {
                                        "name": "api",
                                        "env": [{"name": "DB_PASSWORD", "value": "hunter2"}],
                                        "args": ["--password=hunter2"],
                                    }
                                ]
                            }
                        }
                    },
                },
            )
        ],
    )
)
