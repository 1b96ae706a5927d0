"""CronJobs whose schedule, time zone, policy or history Kubernetes would refuse."""

from tiers import App, CronJob

app = App("jobs")
app.add(CronJob("hourly", image="job:1.0", schedule="0 24 * * *"))
app.add(CronJob("daily", image="job:1.0", schedule="@Daily"))
app.add(CronJob("seconds", image="job:1.0", schedule="0 0 2 * * *"))
app.add(CronJob("sunday", image="job:1.0", schedule="0 3 * * 7", time_zone="Europe/Berln"))
app.add(CronJob("local", image="job:1.0", schedule="*/15 * * * *", time_zone="Local"))
app.add(CronJob("policy", image="job:1.0", schedule="@hourly", concurrency_policy="forbid"))
app.add(CronJob("history", image="job:1.0", schedule="@weekly", failed_jobs_history_limit=-1))
app.add(CronJob("unscheduled", image="job:1.0"))
app.add(
    CronJob(
        "a-report-with-a-very-long-name-that-kubernetes-refuses", image="job:1.0", schedule="@daily"
    )
)
