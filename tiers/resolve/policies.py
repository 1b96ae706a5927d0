"""NetworkPolicies from the wiring graph.

Each tier admits ingress only from the tiers that reference it or declare a
call to it, on the container ports behind the referenced Service ports (and
from its own pods on its peer ports, from what its ``ingress_from`` names,
from anywhere on the ports of its LoadBalancer and NodePort Services, and
from the ingress controller on the ports an Ingress or HTTPRoute routes to),
and sends egress only to the tiers and external Services it references or
calls, to its own pods on its peer ports, to what its ``egress_to`` names,
plus cluster DNS. The external Services tiers emits get egress to their
addresses (see :mod:`tiers.resolve.egress`).

Selectors of pods outside the app (DNS, the ingress controller, the pods
``ingress_from`` and ``egress_to`` name) are marked ``outside_app``: they are
written as ``matchExpressions``, which kustomize's ``commonLabels`` leaves
alone (it adds its labels to every ``matchLabels`` of a NetworkPolicy's
``podSelector``s, and to every pod of the app, not to pods outside it).
"""

from __future__ import annotations

from tiers import ir
from tiers.resolve.egress import external_rules

DNS_PEER = ir.PolicyPeer(
    pod_selector={"k8s-app": "kube-dns"},
    namespace_selector={"kubernetes.io/metadata.name": "kube-system"},
    outside_app=True,
)
DNS_PORTS = [ir.PolicyPort(53, "UDP"), ir.PolicyPort(53, "TCP")]
PUBLIC_TYPES = ("LoadBalancer", "NodePort")
Externals = dict[tuple[str, str], ir.ExternalService]


def attach_network_policies(app: ir.App) -> None:
    """Give every tier of ``app`` its NetworkPolicy. Linear in tiers and edges."""
    tiers = {t.name: t for t in app.tiers}
    incoming: dict[str, list[ir.Edge]] = {}
    outgoing: dict[str, list[ir.Edge]] = {}
    for edge in app.edges:
        incoming.setdefault(edge.target, []).append(edge)
        outgoing.setdefault(edge.source, []).append(edge)
    controller = _controller_ports(app)
    externals = {(e.meta.namespace, e.meta.name): e for e in app.externals}
    for tier in app.tiers:
        meta = tier.workload.meta
        ingress = _ingress(tier, tiers, incoming.get(tier.name, []))
        if tier.name in controller:
            ingress.append(ir.PolicyRule([_controller_peer(app)], _sorted(controller[tier.name])))
        ingress += _declared(tier, "ingress")
        tier.network_policies = [
            ir.NetworkPolicy(
                meta=ir.Meta(f"{tier.name}-network-policy", tier.namespace, meta.labels),
                pod_selector=tier.workload.selector,
                ingress=ingress,
                egress=_egress(
                    tier, tiers, outgoing.get(tier.name, []), _declared(tier, "egress"), externals
                ),
            )
        ]


def _controller_ports(app: ir.App) -> dict[str, set[tuple[int, str]]]:
    """The container ports each tier must open to the ingress controller."""
    found: dict[str, set[tuple[int, str]]] = {}
    for backend in app.ingress_backends():
        if backend.target_port is not None:
            found.setdefault(backend.tier, set()).add((backend.target_port, "TCP"))
    return found


def _controller_peer(app: ir.App) -> ir.PolicyPeer:
    controller = app.ingress_controller
    return ir.PolicyPeer(
        dict(controller.pod_labels),
        {"kubernetes.io/metadata.name": controller.namespace},
        outside_app=True,
    )


def _declared(tier: ir.Tier, direction: str) -> list[ir.PolicyRule]:
    """The rules of the tier's peers and of its ``ingress_from`` or ``egress_to``."""
    rules = [
        ir.PolicyRule(list(r.peers), list(r.ports))
        for r in tier.outside
        if r.direction == direction
    ]
    if tier.peers:
        rules.insert(0, ir.PolicyRule([_peer(tier, tier.namespace)], list(tier.peers)))
    return rules


def _ingress(tier: ir.Tier, tiers: dict[str, ir.Tier], edges: list[ir.Edge]) -> list[ir.PolicyRule]:
    ports: dict[str, set[tuple[int, str]]] = {}
    for edge in edges:
        if edge.external or edge.source not in tiers:
            continue
        ports.setdefault(edge.source, set()).update(target_ports(tier, edge.service, edge.port))
    rules = [
        ir.PolicyRule([_peer(tiers[name], tier.namespace)], _sorted(found))
        for name, found in sorted(ports.items())
    ]
    public = set()
    for service in tier.services:
        if service.type in PUBLIC_TYPES:
            public.update(target_ports(tier, service.meta.name, None))
    if public:
        rules.append(ir.PolicyRule([], _sorted(public)))
    return rules


def _egress(
    tier: ir.Tier,
    tiers: dict[str, ir.Tier],
    edges: list[ir.Edge],
    declared: list[ir.PolicyRule],
    externals: Externals,
) -> list[ir.PolicyRule]:
    found: dict[tuple[str, str], set[tuple[int, str]]] = {}
    emitted: list[ir.PolicyRule] = []
    for edge in edges:
        external = externals.get((edge.namespace, edge.target)) if edge.external else None
        rules = external_rules(external, edge.port) if external is not None else None
        if rules is not None:
            emitted = _merged(emitted, rules)
            continue
        key = (edge.namespace, edge.target if not edge.external else "")
        ports = found.setdefault(key, set())
        target = tiers.get(edge.target)
        if not edge.external and target is not None:
            ports.update(target_ports(target, edge.service, edge.port))
        elif edge.port is not None:
            ports.add((edge.port, edge.protocol))
    rules = [
        ir.PolicyRule([_egress_peer(key, tiers, tier)], _sorted(p))
        for key, p in sorted(found.items())
    ]
    return [*rules, *emitted, *declared, ir.PolicyRule([DNS_PEER], list(DNS_PORTS))]


def _merged(rules: list[ir.PolicyRule], more: list[ir.PolicyRule]) -> list[ir.PolicyRule]:
    """``rules`` and ``more``, the ports of rules to the same peers put together."""
    result = list(rules)
    for rule in more:
        same = next((r for r in result if r.peers == rule.peers), None)
        if same is None:
            result.append(ir.PolicyRule(list(rule.peers), list(rule.ports)))
            continue
        ports = {(p.port, p.protocol) for p in [*same.ports, *rule.ports]}
        same.ports = _sorted(ports)
    return result


def _egress_peer(key: tuple[str, str], tiers: dict[str, ir.Tier], tier: ir.Tier) -> ir.PolicyPeer:
    namespace, target = key
    if not target:
        return ir.PolicyPeer(None, {"kubernetes.io/metadata.name": namespace})
    return _peer(tiers[target], tier.namespace)


def _peer(other: ir.Tier, namespace: str) -> ir.PolicyPeer:
    selector = other.workload.selector
    if other.namespace == namespace:
        return ir.PolicyPeer(selector)
    return ir.PolicyPeer(selector, {"kubernetes.io/metadata.name": other.namespace})


def target_ports(tier: ir.Tier, service_name: str, port: int | None) -> set[tuple[int, str]]:
    """The container ports behind ``port`` of the Service (all its ports when None)."""
    containers = tier.workload.serving_containers()
    numbers = {p.name: p.number for c in containers for p in c.ports if p.name}
    result = set()
    for service in tier.services:
        if service.meta.name != service_name:
            continue
        for service_port in service.ports:
            if port is not None and service_port.port != port:
                continue
            target = service_port.target_port
            number = target if isinstance(target, int) else numbers.get(target)
            if number is not None:
                result.add((number, service_port.protocol))
    return result


def _sorted(ports: set[tuple[int, str]]) -> list[ir.PolicyPort]:
    return [ir.PolicyPort(number, protocol) for number, protocol in sorted(ports)]
