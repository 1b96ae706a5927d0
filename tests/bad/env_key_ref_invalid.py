"""A Secret name and a ConfigMap key that Kubernetes would refuse."""

from tiers import App, Backend, ConfigMapKeyRef, SecretKeyRef

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        env={
            "API_TOKEN": SecretKeyRef("Api_Secrets", "token"),
            "MODE": ConfigMapKeyRef("cfg", "a b"),
        },
    )
)
