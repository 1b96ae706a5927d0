"""Reading Kubernetes objects in tests: which pods a Service selects, what its
target ports resolve to. Written from the Kubernetes rules, not from tiers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Doc = dict[str, Any]

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")


def namespace(doc: Doc) -> str:
    return str(doc["metadata"].get("namespace", "default"))


def workloads(docs: Iterable[Doc]) -> list[Doc]:
    return [d for d in docs if d["kind"] in WORKLOAD_KINDS]


def services(docs: Iterable[Doc]) -> list[Doc]:
    """The Services that select pods: not an ExternalName Service or one without
    a selector, whose endpoints Kubernetes leaves to someone else."""
    return [d for d in docs if d["kind"] == "Service" and d["spec"].get("selector")]


def template(workload: Doc) -> Doc:
    """The pod template: a CronJob's is in its ``jobTemplate``."""
    spec: Doc = workload["spec"]
    found: Doc = (
        spec["jobTemplate"]["spec"]["template"]
        if workload["kind"] == "CronJob"
        else spec["template"]
    )
    return found


def pod_spec(workload: Doc) -> Doc:
    spec: Doc = template(workload)["spec"]
    return spec


def pod_labels(workload: Doc) -> dict[str, str]:
    labels: dict[str, str] = template(workload)["metadata"].get("labels", {})
    return labels


def selector(workload: Doc) -> dict[str, str] | None:
    """The workload's ``matchLabels``; ``None`` for a Job or CronJob, whose
    selector the Job controller makes (its pods' ``controller-uid``)."""
    if workload["kind"] in ("Job", "CronJob"):
        return None
    found: dict[str, str] = workload["spec"]["selector"]["matchLabels"]
    return found


def containers(workload: Doc) -> list[Doc]:
    found: list[Doc] = pod_spec(workload)["containers"]
    return found


def container_ports(workload: Doc) -> list[Doc]:
    """The ports a Service can forward to: those of the containers and, as the
    endpoints controller does since Kubernetes 1.29, of native sidecars (init
    containers with ``restartPolicy: Always``)."""
    init = pod_spec(workload).get("initContainers", [])
    native = [c for c in init if c.get("restartPolicy") == "Always"]
    return [p for c in [*containers(workload), *native] for p in c.get("ports", [])]


def selects(service: Doc, workload: Doc) -> bool:
    """True when ``service`` selects the pods of ``workload`` (Kubernetes' rule:
    same namespace, every selector label present with the same value)."""
    selector = service["spec"].get("selector") or {}
    if not selector or namespace(service) != namespace(workload):
        return False
    labels = pod_labels(workload)
    return all(labels.get(k) == v for k, v in selector.items())


def selected(service: Doc, docs: Iterable[Doc]) -> list[Doc]:
    """The workloads whose pods ``service`` selects."""
    return [w for w in workloads(docs) if selects(service, w)]


def target_number(service_port: Doc, workload: Doc) -> int | None:
    """The container port number a Service port forwards to on ``workload``'s
    pods; ``None`` when it names or numbers no container port."""
    target = service_port.get("targetPort", service_port["port"])
    protocol = service_port.get("protocol", "TCP")
    for port in container_ports(workload):
        if port.get("protocol", "TCP") != protocol:
            continue
        if target in (port["containerPort"], port.get("name")):
            return int(port["containerPort"])
    return None


def env_of(container: Doc) -> dict[str, Doc]:
    return {e["name"]: e for e in container.get("env", [])}
