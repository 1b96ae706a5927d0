"""Integers beyond what Kubernetes accepts (int32 fields, ids, probe floors)."""

from tiers import App, Autoscale, Backend, Probe, Probes, Security

app = App("shop")
app.add(Backend("api", image="my-api:1.4.2", replicas=2**31))
app.add(
    Backend(
        "worker",
        image="my-worker:1.0",
        security=Security(run_as_user=2**40),
        probes=Probes(readiness=Probe(period_seconds=0, failure_threshold=0)),
        autoscale=Autoscale(max_replicas=2**33, cpu=70),
    )
)
