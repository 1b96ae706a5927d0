"""DaemonSets: each host path is a warning, bad paths and tolerations are errors."""

from tiers import App, DaemonSet, HostPath, Toleration

app = App("agents", namespace="monitoring")
app.add(
    DaemonSet(
        "logs",
        image="fluent/fluent-bit:3.1.9",
        host_paths=[HostPath("/var/log"), HostPath("/var/lib/agent", read_only=False)],
        tolerations=[Toleration(value="gpu"), Toleration("dedicated", toleration_seconds=60)],
    )
)
app.add(
    DaemonSet(
        "broken",
        image="agent:1.0",
        replicas=3,
        host_paths=[HostPath("var/log"), HostPath("/var/../etc", "/etc/host")],
        update_strategy="OnDelete",
        max_unavailable=2,
    )
)
app.add(DaemonSet("still", image="agent:1.0", max_unavailable=0))
app.add(DaemonSet("typo", image="agent:1.0", host_paths=[HostPath("/x", type="Dir")]))
