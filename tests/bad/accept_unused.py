"""Warnings only: a tier that accepts a warning it is not given (its image is pinned)."""

from tiers import App, DaemonSet, HostPath

app = App("node-metrics", namespace="monitoring")
app.add(
    DaemonSet(
        "node-exporter",
        image="quay.io/prometheus/node-exporter:v1.8.2",
        host_paths=[HostPath("/proc", "/host/proc")],
        accept={"host-path": "reads the node's /proc", "image-unpinned": "it is pinned"},
    )
)
