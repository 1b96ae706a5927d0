"""Read what a pod needs from the objects ``tiers build`` wrote: the pod specs
of each workload, its container, its env with every reference resolved, its
volumes, and the names the app's Services would have in cluster DNS."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Doc = dict[str, Any]

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet")


@dataclass(frozen=True)
class Pod:
    """One workload's pod template, as the kubelet would start it."""

    kind: str
    name: str
    namespace: str
    spec: Doc
    claims: dict[str, Doc] = field(default_factory=dict)
    """A StatefulSet's volumeClaimTemplates, by name."""

    def container(self, name: str | None = None) -> Doc:
        """The named container, or the first one."""
        containers = self.spec["containers"]
        if name is None:
            return dict(containers[0])
        return dict(next(c for c in containers if c["name"] == name))


def pods(docs: list[Doc]) -> dict[str, Pod]:
    """Every workload's pod, by the workload's name."""
    found = {}
    for doc in docs:
        if doc.get("kind") not in WORKLOADS:
            continue
        meta = doc["metadata"]
        claims = {c["metadata"]["name"]: c for c in doc["spec"].get("volumeClaimTemplates", [])}
        spec = doc["spec"]["template"]["spec"]
        found[meta["name"]] = Pod(doc["kind"], meta["name"], meta["namespace"], spec, claims)
    return found


def config_maps(docs: list[Doc]) -> dict[str, dict[str, str]]:
    """The data of every ConfigMap the app writes, by name."""
    return {d["metadata"]["name"]: d.get("data", {}) for d in docs if d.get("kind") == "ConfigMap"}


def service_names(docs: list[Doc], domain: str = "cluster.local") -> list[str]:
    """Each Service's names in cluster DNS: ``name``, ``name.ns``, ``name.ns.svc`` and
    the full name (what a pod's resolver would find through its search list)."""
    names = []
    for doc in docs:
        if doc.get("kind") == "Service":
            name, ns = doc["metadata"]["name"], doc["metadata"]["namespace"]
            names += [name, f"{name}.{ns}", f"{name}.{ns}.svc", f"{name}.{ns}.svc.{domain}"]
    return names


@dataclass(frozen=True)
class Sources:
    """Where env and volumes read from: the Secrets the test creates (they are
    never in the built objects) and the app's ConfigMaps."""

    secrets: dict[str, dict[str, str]]
    config_maps: dict[str, dict[str, str]]

    def lookup(self, kind: str, name: str, key: str) -> str:
        store = self.secrets if kind == "secret" else self.config_maps
        try:
            return store[name][key]
        except KeyError:
            raise KeyError(f"the test gives no {kind} {name!r} with key {key!r}") from None


def env(pod: Pod, container: Doc, sources: Sources, pod_ip: str) -> dict[str, str]:
    """The container's environment as the kubelet sets it: ``envFrom`` first,
    then ``env`` in order, each reference resolved and ``$(VAR)`` expanded."""
    values: dict[str, str] = {}
    for source in container.get("envFrom", []):
        kind = "secret" if "secretRef" in source else "configmap"
        ref = source.get("secretRef") or source["configMapRef"]
        store = sources.secrets if kind == "secret" else sources.config_maps
        for key, value in store[ref["name"]].items():
            values[source.get("prefix", "") + key] = value
    for item in container.get("env", []):
        if "value" in item:
            values[item["name"]] = expand(item["value"], values)
        else:
            values[item["name"]] = _value_from(pod, item["valueFrom"], sources, pod_ip)
    return values


def _value_from(pod: Pod, ref: Doc, sources: Sources, pod_ip: str) -> str:
    if "secretKeyRef" in ref:
        return sources.lookup("secret", ref["secretKeyRef"]["name"], ref["secretKeyRef"]["key"])
    if "configMapKeyRef" in ref:
        key_ref = ref["configMapKeyRef"]
        return sources.lookup("configmap", key_ref["name"], key_ref["key"])
    fields = {
        "metadata.name": f"{pod.name}-0",
        "metadata.namespace": pod.namespace,
        "status.podIP": pod_ip,
        "spec.nodeName": "node-1",
    }
    return fields[ref["fieldRef"]["fieldPath"]]


def expand(text: str, values: dict[str, str]) -> str:
    """Kubernetes' ``$(VAR)`` expansion: a defined variable is replaced,
    ``$$`` escapes, anything else is left as written."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        return values.get(match.group(1), match.group(0))

    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", one, text)


def named_ports(container: Doc) -> dict[str, int]:
    return {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}


def probes(container: Doc) -> dict[str, Doc]:
    """The container's probes: ``startup``, ``readiness``, ``liveness``."""
    keys = {"startup": "startupProbe", "readiness": "readinessProbe", "liveness": "livenessProbe"}
    return {short: container[key] for short, key in keys.items() if key in container}
