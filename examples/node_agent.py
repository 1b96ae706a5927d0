"""A node agent: Prometheus' node exporter on every node, control-plane
nodes included, reading the node's /proc and /sys through read-only host
paths, behind a Service that lists every node's agent. Host paths are
forbidden by the baseline Pod Security Standard, so the agent lives in a
namespace of its own, which enforces the privileged level. tiers warns about
each host path; the tier accepts those warnings, saying why, so that
``tiers validate --strict`` holds the app to every other rule."""

from tiers import App, DaemonSet, HostPath, IngressFrom, Port, Resources, Toleration

app = App("node-metrics", namespace="monitoring")

app.add(
    DaemonSet(
        "node-exporter",
        image="quay.io/prometheus/node-exporter:v1.8.2",
        args=["--path.procfs=/host/proc", "--path.sysfs=/host/sys"],
        ports=[Port(9100, "metrics")],
        service="ClusterIP",  # for Prometheus to find every node's agent
        # Prometheus, in this namespace, scrapes the agents' metrics port
        ingress_from=[
            IngressFrom(pods={"app.kubernetes.io/name": "prometheus"}, ports=["metrics"])
        ],
        host_paths=[HostPath("/proc", "/host/proc"), HostPath("/sys", "/host/sys")],
        accept={"host-path": "the node's metrics are read from its /proc and /sys"},
        tolerations=[Toleration(effect="NoSchedule")],
        resources=Resources(cpu="50m", memory="64Mi", cpu_limit="200m", memory_limit="128Mi"),
    )
)
