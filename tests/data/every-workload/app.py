"""Every variant of the new kinds in one app, for the schema and checkov tests:
a Job with every field, a CronJob with every field, a DaemonSet updated on
delete, cluster-wide permissions, and external Services of each kind."""

from tiers import (
    App,
    Backend,
    CronJob,
    DaemonSet,
    ExternalService,
    HostPath,
    Job,
    Permission,
    Port,
    ServiceAccount,
    ServicePort,
    Toleration,
)

IMAGE = "registry.example.com/ops/tool:2.3.1"

app = App("every", namespace="every", sync_waves=True)
warehouse = app.add(
    ExternalService(
        "warehouse",
        external_name="warehouse.example.com",
        ports=[ServicePort(5432, name="postgres")],
        cidrs=["10.40.0.0/16", "10.41.0.0/16"],
    )
)
legacy = app.add(
    ExternalService(
        "legacy",
        addresses=["10.0.9.10", "fd00::10"],
        ports=[ServicePort(8443, name="https", target_port=9443)],
    )
)
queue = app.add(ExternalService("queue", namespace="infra", ports=[5672]))

api = app.add(
    Backend(
        "api",
        image=IMAGE,
        env={"WAREHOUSE": warehouse.host, "LEGACY_URL": legacy.url("https"), "QUEUE": queue.host},
        service_account=ServiceAccount(
            "api-runner",
            permissions=[
                Permission(["leases"], ["get", "update"], api_groups=["coordination.k8s.io"]),
                Permission(["nodes"], ["get", "list", "watch"], cluster_wide=True),
            ],
            annotations={"example.com/owner": "ops"},
        ),
    )
)
app.add(
    Job(
        "backfill",
        image=IMAGE,
        args=["backfill", "--since", "2024-01-01"],
        env={"WAREHOUSE": warehouse.host},
        backoff_limit=0,
        active_deadline_seconds=3600,
        ttl_seconds_after_finished=86400,
        restart_policy="OnFailure",
        before=[api],
    )
)
app.add(
    CronJob(
        "rotate",
        image=IMAGE,
        schedule="15 3 * * MON-FRI",
        time_zone="Etc/UTC",
        concurrency_policy="Replace",
        successful_jobs_history_limit=1,
        failed_jobs_history_limit=3,
        starting_deadline_seconds=300,
        suspend=True,
        active_deadline_seconds=900,
        env={"API_URL": api.url()},
    )
)
app.add(
    DaemonSet(
        "probe",
        image=IMAGE,
        namespace="every-nodes",
        ports=[Port(9090, "metrics")],
        host_paths=[HostPath("/run/probe", "/probe", type="DirectoryOrCreate", read_only=False)],
        tolerations=[
            Toleration("dedicated", value="probes", effect="NoExecute", toleration_seconds=600),
            Toleration(),
        ],
        update_strategy="OnDelete",
    )
)
