"""Permissions that grant nothing, too much, or not what they seem; a shared ServiceAccount."""

from tiers import App, Backend, Permission, ServiceAccount

app = App("ops")
app.add(
    Backend(
        "api",
        image="api:1.0",
        service_account=ServiceAccount(
            permissions=[
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
labelled = ServiceAccount("reporter", labels={"team/": "ops"}, annotations={"owner": "ops"})
app.add(Backend("reporter", image="reporter:1.0", service_account=labelled))
