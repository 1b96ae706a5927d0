"""ServiceAccounts and permissions: unknown verbs, empty rules, broad grants."""

from tiers import App, Backend, Permission, ServiceAccount

app = App("ops")
app.add(
    Backend(
        "api",
        image="api:1.0",
        service_account=ServiceAccount(
            permissions=[
                Permission(["configmaps"], ["gett", "list"]),
                Permission([], ["get"]),
                Permission(["*"], ["*"], api_groups=["*"]),
                Permission(["secrets"], ["get", "list"]),
                Permission(["nodes"], ["get"], cluster_wide=True),
                Permission(["deployments"], ["get"]),
                Permission(["configmaps"], ["get", "list", "create"], resource_names=["flags"]),
            ]
        ),
    )
)
app.add(Backend("worker", image="worker:1.0", service_account=ServiceAccount("api")))
app.add(Backend("cron", image="cron:1.0", service_account=ServiceAccount("Bad_Name")))
