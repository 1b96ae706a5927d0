"""What the wiring graph of a resolved app says it connects, in the atoms of
:mod:`tests.netpol` (what np-guard's network-config-analyzer allows): read from
tiers' IR (edges, peers, connections outside the app) through the Services and
workloads ``tiers build`` wrote, by the Kubernetes rules (:mod:`tests.k8s`)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from tests import k8s
from tests.netpol import ANYWHERE, DNS, Conn, Doc, Pod, cidrs, excluding


def dns(workload: str) -> set[Conn]:
    """The DNS lookups every tier may make."""
    return {Conn(workload, DNS, "UDP/53"), Conn(workload, DNS, "TCP/53")}


def graph_connections(app: Any, docs: list[Doc], outside: Iterable[Pod]) -> set[Conn]:
    """What the wiring graph of the resolved ``app`` (an ``ir.App``) says its
    tiers connect, read through the Services and workloads in ``docs`` by the
    Kubernetes rules (:mod:`tests.k8s`): each edge (a reference or a call) to
    the container ports behind its Service port (all of the Service's when
    it names none), each tier's peer ports to itself (when it has two pods or
    more, as the analyzer models it), each ``ingress_from`` and ``egress_to``
    to the pods of ``outside`` it selects or the addresses it names, each
    public Service from :data:`ANYWHERE`, each Ingress or HTTPRoute backend
    from the ingress controller, and DNS from every tier. ``outside`` are the
    pods outside the app that :func:`connectivity` is given."""
    pods = list(outside)
    workload = {t.name: f"{t.namespace}/{t.workload.meta.name}" for t in app.tiers}
    services = {(k8s.namespace(s), s["metadata"]["name"]): s for s in k8s.services(docs)}
    found = {c for key in workload.values() for c in dns(key)}
    for edge in app.edges:
        source = workload[edge.source]
        if edge.external:
            found |= _external(app, edge, source, pods)
            continue
        found |= _behind(source, services[(edge.namespace, edge.service)], edge.port, docs)
    for tier in app.tiers:
        found |= _declared(tier, workload[tier.name], pods)
    for service in services.values():
        if service["spec"].get("type") in ("LoadBalancer", "NodePort"):
            found |= _behind(ANYWHERE, service, None, docs)
    controller = app.ingress_controller
    for backend in app.ingress_backends():
        for pod in pods:
            if pod.namespace == controller.namespace and _has(pod.labels, controller.pod_labels):
                found.add(Conn(_key(pod), workload[backend.tier], f"TCP/{backend.target_port}"))
    return found


def _external(app: Any, edge: Any, source: str, pods: list[Pod]) -> set[Conn]:
    """A reference to an external Service: to the addresses tiers emits for it
    (its CIDRs, or its endpoints' addresses), else to its namespace's pods."""
    emitted = {(e.meta.namespace, e.meta.name): e for e in app.externals if e.emitted}
    external = emitted.get((edge.namespace, edge.target))
    blocks = [] if external is None else external.cidrs or [f"{a}/32" for a in external.addresses]
    if not blocks:
        port = "*" if edge.port is None else f"{edge.protocol}/{edge.port}"
        return {Conn(source, _key(p), port) for p in pods if p.namespace == edge.namespace}
    ports = [edge.port] if edge.port is not None else [p.port for p in external.ports]
    return {Conn(source, block, f"{edge.protocol}/{port}") for block in blocks for port in ports}


def _declared(tier: Any, key: str, pods: list[Pod]) -> set[Conn]:
    """A tier's peers and its connections to and from outside the app."""
    replicas = tier.workload.replicas
    many = replicas is None or replicas > 1
    found = {Conn(key, key, f"{p.protocol}/{p.port}") for p in tier.peers if many}
    for rule in tier.outside:
        ends = {end for peer in rule.peers for end in _ends(peer, tier.namespace, pods)}
        for end in ends:
            for port in rule.ports:
                atom = f"{port.protocol}/{port.port}"
                found.add(
                    Conn(end, key, atom) if rule.direction == "ingress" else Conn(key, end, atom)
                )
    return _merged_blocks(found)


def _ends(peer: Any, namespace: str, pods: list[Pod]) -> list[str]:
    """The pods of ``pods`` a peer selects (by the Kubernetes rules), or its addresses."""
    if peer.ip_block is not None:
        return [f"ip:{excluding(peer.ip_block.cidr, *peer.ip_block.holes)}"]
    found = []
    for pod in pods:
        labels = {"kubernetes.io/metadata.name": pod.namespace, **pod.namespace_labels}
        if peer.namespace_selector is None and pod.namespace != namespace:
            continue
        if peer.namespace_selector is not None and not _has(labels, peer.namespace_selector):
            continue
        if peer.pod_selector is None or _has(pod.labels or {"app": pod.name}, peer.pod_selector):
            found.append(_key(pod))
    return found


def _merged_blocks(atoms: set[Conn]) -> set[Conn]:
    """Address ends (``ip:...``) of one workload and port merged, as :func:`connectivity` does."""
    kept = {a for a in atoms if not (a.source.startswith("ip:") or a.target.startswith("ip:"))}
    blocks: dict[tuple[str, str, bool], list[Any]] = {}
    for a in atoms - kept:
        outward = a.target.startswith("ip:")
        end, workload = (a.target, a.source) if outward else (a.source, a.target)
        networks = [ipaddress.ip_network(c) for c in end[3:].split(",")]
        blocks.setdefault((workload, a.port, outward), []).extend(networks)
    for (workload, port, outward), networks in blocks.items():
        text = cidrs(networks)
        kept.add(Conn(workload, text, port) if outward else Conn(text, workload, port))
    return kept


def _has(labels: dict[str, str], selector: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _key(pod: Pod) -> str:
    return f"{pod.namespace}/{pod.name}"


def outside_pods(app: Any) -> list[Pod]:
    """The pods outside the app that its graph reaches: the ingress controller
    it names and one pod per external Service."""
    controller = app.ingress_controller
    pods = [Pod(controller.namespace, "ingress-controller", dict(controller.pod_labels))]
    externals = {(e.namespace, e.target) for e in app.edges if e.external}
    return pods + [Pod(namespace, name) for namespace, name in sorted(externals)]


def _behind(source: str, service: Doc, port: int | None, docs: list[Doc]) -> set[Conn]:
    found = set()
    for workload in k8s.selected(service, docs):
        target = f"{k8s.namespace(workload)}/{workload['metadata']['name']}"
        for service_port in service["spec"].get("ports", []):
            number = k8s.target_number(service_port, workload)
            if number is not None and port in (None, service_port["port"]):
                found.add(Conn(source, target, f"{service_port.get('protocol', 'TCP')}/{number}"))
    return found
