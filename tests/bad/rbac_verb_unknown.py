"""An unknown verb, and a ServiceAccount name Kubernetes refuses."""

from tiers import App, Backend, Permission, ServiceAccount

app = App("ops")
app.add(
    Backend(
        "api",
        image="api:1.0",
        service_account=ServiceAccount(permissions=[Permission(["configmaps"], ["gett", "list"])]),
    )
)
app.add(Backend("cron", image="cron:1.0", service_account=ServiceAccount("Bad_Name")))
