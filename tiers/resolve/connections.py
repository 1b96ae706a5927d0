"""Peers and connections outside the app: a tier's ``peers``, ``ingress_from``
and ``egress_to`` into :class:`~tiers.ir.OutsideRule` s and peer ports, which
the NetworkPolicies and the graph read. Values that are not valid are left
out here; ``tiers/checks/connections.py`` reports them."""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.connections import INTERNET, EgressTo, IngressFrom, cidr_problem, port_problem
from tiers.resolve.policies import target_ports

Pairs = list[tuple[model.Tier, ir.Tier]]


def resolve_connections(
    app: model.App, pairs: Pairs, result: ir.App, diagnostics: list[Diagnostic]
) -> None:
    """Fill in each tier's ``peers`` and ``outside`` rules."""
    for tier, resolved in pairs:
        resolved.peers = peer_ports(tier, resolved)
        ingress = [
            _ingress(resolved, r, f"ingress_from[{i}]") for i, r in enumerate(tier.ingress_from)
        ]
        egress = [_egress(resolved, r, f"egress_to[{i}]") for i, r in enumerate(tier.egress_to)]
        resolved.outside = [r for r in [*ingress, *egress] if r is not None]


def default_peers(tier: model.Tier, resolved: ir.Tier) -> bool:
    """Whether a tier that says nothing about ``peers`` has them: a StatefulSet
    with more than one replica (or an autoscaler that may make more): its
    headless governing Service is how its pods find each other."""
    workload = resolved.workload
    if workload.kind != "StatefulSet":
        return False
    autoscale = tier.autoscale
    most = autoscale.max_replicas if autoscale is not None else workload.replicas
    return isinstance(most, int) and most > 1


def peer_ports(tier: model.Tier, resolved: ir.Tier) -> list[ir.PolicyPort]:
    """The container ports a tier's pods open to each other, sorted."""
    wanted = tier.peers
    if wanted is None:
        wanted = default_peers(tier, resolved)
        if wanted:
            return _sorted(_governing_ports(resolved))
    if wanted is False:
        return []
    ports = container_ports(resolved)
    if wanted is True:
        return _sorted(set(ports.values()))
    return _sorted({ports[p] for p in wanted if p in ports})


def container_ports(resolved: ir.Tier) -> dict[int | str, tuple[int, str]]:
    """The ports of the serving containers by number and by name."""
    found: dict[int | str, tuple[int, str]] = {}
    for container in resolved.workload.serving_containers():
        for port in container.ports:
            found.setdefault(port.number, (port.number, port.protocol))
            if port.name:
                found.setdefault(port.name, (port.number, port.protocol))
    return found


def _governing_ports(resolved: ir.Tier) -> set[tuple[int, str]]:
    name = resolved.workload.service_name
    return target_ports(resolved, name, None) if name else set()


def _ingress(resolved: ir.Tier, rule: IngressFrom, origin: str) -> ir.OutsideRule | None:
    peers = _peers(rule.namespace, rule.pods, rule.cidrs, [])
    ports = container_ports(resolved)
    wanted = rule.ports or list(ports)
    if peers is None or any(p not in ports for p in wanted):
        return None
    return ir.OutsideRule(
        "ingress", peers, _sorted({ports[p] for p in wanted}), _label(rule), origin
    )


def _egress(resolved: ir.Tier, rule: EgressTo, origin: str) -> ir.OutsideRule | None:
    blocks = list(INTERNET) if rule.internet or rule.hosts else []
    peers = _peers(rule.namespace, rule.pods, rule.cidrs, blocks)
    if peers is None or not rule.ports or any(port_problem(p) for p in rule.ports):
        return None
    ports = _sorted({(p, rule.protocol) for p in rule.ports})
    return ir.OutsideRule("egress", peers, ports, _label(rule), origin)


def _peers(
    namespace: str | None,
    pods: dict[str, str] | None,
    cidrs: list[str],
    blocks: list[tuple[str, tuple[str, ...]]],
) -> list[ir.PolicyPeer] | None:
    """The peers of one declaration; ``None`` when it is not valid."""
    if any(cidr_problem(c) for c in cidrs):
        return None
    ip_blocks = [ir.IPBlock(c, list(holes)) for c, holes in blocks] + [ir.IPBlock(c) for c in cidrs]
    if namespace is None and pods is None:
        return [ir.PolicyPeer(None, ip_block=b) for b in ip_blocks] or None
    if ip_blocks:
        return None
    selector = {"kubernetes.io/metadata.name": namespace} if namespace is not None else None
    return [ir.PolicyPeer(dict(pods) if pods is not None else None, selector, outside_app=True)]


def _label(rule: IngressFrom | EgressTo) -> str:
    """How the graph names the other end: ``namespace monitoring, pods
    app=prometheus``, ``api.stripe.com``, ``internet``, ``10.20.0.0/16``."""
    parts = []
    if rule.namespace is not None:
        parts.append(f"namespace {rule.namespace}")
    if rule.pods is not None:
        parts.append("pods " + ",".join(f"{k}={v}" for k, v in rule.pods.items()))
    hosts = rule.hosts if isinstance(rule, EgressTo) else []
    internet = isinstance(rule, EgressTo) and rule.internet
    parts += [*hosts, *(["internet"] if internet else []), *rule.cidrs]
    return ", ".join(parts)


def _sorted(ports: set[tuple[int, str]]) -> list[ir.PolicyPort]:
    return [ir.PolicyPort(number, protocol) for number, protocol in sorted(ports)]
