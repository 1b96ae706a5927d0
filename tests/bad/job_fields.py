"""A Job and a CronJob given fields their kind lacks, and numbers below their floor."""

from tiers import App, Autoscale, CronJob, Job, MySQL, NotSecret

app = App("shop")
db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
app.add(
    Job(
        "migrate",
        image="api:1.0",
        replicas=2,
        service="ClusterIP",
        autoscale=Autoscale(max_replicas=3, cpu=80),
        backoff_limit=-1,
        active_deadline_seconds=0,
        env={"DB_HOST": db.host},
    )
)
app.add(CronJob("report", image="report:1.0", schedule="@daily", ttl_seconds_after_finished=-5))
app.add(Job("seed", image="api:1.0", restart_policy="Always"))
