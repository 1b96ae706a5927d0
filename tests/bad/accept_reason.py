"""A tier that accepts a warning without saying why."""

from tiers import App, DaemonSet, HostPath

app = App("node-metrics", namespace="monitoring")
app.add(
    DaemonSet(
        "node-exporter",
        image="quay.io/prometheus/node-exporter:v1.8.2",
        host_paths=[HostPath("/proc", "/host/proc")],
        accept={"host-path": ""},
    )
)
