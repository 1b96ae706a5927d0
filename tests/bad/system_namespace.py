"""A tier in kube-system: tiers must not relabel a namespace Kubernetes owns."""

from tiers import App, Backend

app = App("shop", namespace="kube-system")
app.add(Backend("api", image="my-api:1.4.2"))
