"""NetworkPolicies tiers wrote, read back into what opened them.

tiers writes one NetworkPolicy per tier (``<tier>-network-policy``) from the
wiring. What the references of the imported app do not open again is read
back from the input's policy, one peer at a time:

- egress to the pods of another tier of the app: ``calls=[other]`` (every
  port of its first Service) or ``calls=[other.port_ref(80)]``;
- ingress from pods outside the app, a namespace or address ranges:
  ``ingress_from=[IngressFrom(...)]``;
- egress to them, or to the internet: ``egress_to=[EgressTo(...)]``.

Ingress from another tier of the app is that tier's egress, read there. The
built app is then held to the input's policies like any object: a rule
these fields cannot write again stays in the warning about the policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tiers.importer.group import Plan, Scope, dig, items, scalar
from tiers.importer.read import Source
from tiers.model.app import App, Call, Endpoint, Tier
from tiers.model.connections import INTERNET, EgressTo, IngressFrom
from tiers.render.objects import Rendered

NAMESPACE_LABEL = "kubernetes.io/metadata.name"
Atom = tuple[str, str, str]
"""(direction, peer, port), each peer and port as canonical JSON."""


@dataclass(frozen=True)
class _Pods:
    """An app tier's pods, as a policy peer selects them, and its ports."""

    tier: Tier
    plan: Plan


def read_policies(
    app: App,
    plans: list[Plan],
    tiers: dict[str, Tier],
    sources: list[Source],
    scope: Scope,
    rendered: list[Rendered],
) -> bool:
    """Set ``calls``, ``ingress_from`` and ``egress_to`` of each tier whose
    policy in ``sources`` opens more than the app (rendered as ``rendered``)
    does; ``True`` when one changed."""
    policies = {
        (s.namespace or scope.namespace, s.name): s for s in sources if s.kind == "NetworkPolicy"
    }
    wanted = {
        p.name: policy
        for p in plans
        if (
            policy := policies.get(
                (p.group.namespace or scope.namespace, f"{p.name}-network-policy")
            )
        )
    }
    if not wanted:
        return False
    built = {o.name: o.manifest for o in rendered if o.kind == "NetworkPolicy"}
    changed = False
    pods = {
        _key(p.group.selector, p.group.namespace or scope.namespace): _Pods(tiers[p.name], p)
        for p in plans
    }
    for plan in plans:
        policy = wanted.get(plan.name)
        if policy is None:
            continue
        mine = built.get(f"{plan.name}-network-policy")
        missing = _atoms(policy.manifest) - (_atoms(mine) if mine else set())
        _apply(tiers[plan.name], plan, missing, pods, plan.group.namespace or scope.namespace)
        changed |= bool(missing)
    return changed


def _key(selector: dict[str, str], namespace: str) -> str:
    return json.dumps([namespace, selector], sort_keys=True)


def _atoms(policy: Any) -> set[Atom]:
    found: set[Atom] = set()
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for rule in items(dig(policy, "spec", direction)):
            peers = items(rule.get(peers_key)) or [{}]
            ports = items(rule.get("ports")) or [{}]
            found |= {
                (
                    direction,
                    _canonical(peer),
                    _canonical({"protocol": "TCP", **port} if port else {}),
                )
                for peer in peers
                for port in ports
            }
    return found


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _apply(
    tier: Tier, plan: Plan, missing: set[Atom], pods: dict[str, _Pods], namespace: str
) -> None:
    by_peer: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for direction, peer, port in sorted(missing):
        by_peer.setdefault((direction, peer), []).append(json.loads(port))
    for (direction, text), ports in by_peer.items():
        peer = json.loads(text)
        other = pods.get(_app_peer(peer, namespace) or "")
        if other is not None:
            if direction == "egress" and other.tier is not tier:
                tier.calls += _calls(other, ports)
            elif direction == "ingress" and other.tier is tier:
                _peers(tier, plan, ports)
            continue
        if direction == "ingress":
            found = _ingress(peer, ports)
            if found is not None and found not in tier.ingress_from:
                tier.ingress_from.append(found)
        else:
            egress = _egress(peer, ports)
            if egress is not None and egress not in tier.egress_to:
                tier.egress_to.append(egress)


def _peers(tier: Tier, plan: Plan, ports: list[dict[str, Any]]) -> None:
    """The tier's own pods admitted on ``ports`` beyond its default peers:
    ``peers=True`` when that makes every container port, else the ports."""
    from tiers.importer.calls import served_ports

    every = {
        p["containerPort"]
        for c in plan.group.containers
        for p in items(c.get("ports"))
        if isinstance(p.get("containerPort"), int)
    }
    wanted = {int(p["port"]) for p in ports if isinstance(p.get("port"), int)}
    wanted |= served_ports(plan) & every
    tier.peers = True if wanted >= every else sorted(wanted & every)


def _app_peer(peer: dict[str, Any], namespace: str) -> str | None:
    """The key of the app tier a peer selects by its pod labels (matchLabels)."""
    labels = dig(peer, "podSelector", "matchLabels")
    if not isinstance(labels, dict) or set(peer) - {"podSelector", "namespaceSelector"}:
        return None
    where = dig(peer, "namespaceSelector", "matchLabels", NAMESPACE_LABEL) or namespace
    return _key({str(k): str(v) for k, v in labels.items()}, str(where))


def _calls(other: _Pods, ports: list[dict[str, Any]]) -> list[Call]:
    """Calls that open ``ports`` (container ports) of ``other``'s pods."""
    services = [_service_ports(s.manifest, other.plan) for s in other.plan.group.services]
    wanted = sorted({int(p["port"]) for p in ports if isinstance(p.get("port"), int)})
    if not services:
        return []
    if not wanted or wanted == sorted(t for _, t in services[0]):
        return [other.tier]
    found: list[Call] = []
    for number in wanted:
        for index, (source, ports_of) in enumerate(
            zip(other.plan.group.services, services, strict=True)
        ):
            port = next((s for s, t in ports_of if t == number), None)
            if port is not None:
                endpoint: Endpoint = other.tier if index == 0 else other.tier.endpoint(source.name)
                found.append(endpoint.port_ref(None if port == ports_of[0][0] else port))
                break
    return found


def _service_ports(manifest: dict[str, Any], plan: Plan) -> list[tuple[int, int]]:
    """(Service port, container port number) of each port of a Service."""
    names = {
        p.get("name"): p.get("containerPort")
        for c in plan.group.containers
        for p in items(c.get("ports"))
    }
    found = []
    for port in items(dig(manifest, "spec", "ports")):
        number = scalar(port.get("port"))
        target = port.get("targetPort", number)
        target = names.get(target, target) if isinstance(target, str) else target
        if isinstance(number, int) and isinstance(target, int):
            found.append((number, target))
    return found


def _selected(peer: dict[str, Any]) -> tuple[str | None, dict[str, str] | None] | None:
    """(namespace, pods) of a peer outside the app, as tiers writes one."""
    namespace = dig(peer, "namespaceSelector", "matchLabels")
    pods = dig(peer, "podSelector")
    if namespace is not None and (
        not isinstance(namespace, dict) or set(namespace) != {NAMESPACE_LABEL}
    ):
        return None
    labels: dict[str, str] | None = None
    if pods is not None:
        labels = {}
        for expression in items(dig(pods, "matchExpressions")):
            values = expression.get("values")
            if (
                expression.get("operator") != "In"
                or not isinstance(values, list)
                or len(values) != 1
            ):
                return None
            labels[str(expression.get("key"))] = str(values[0])
    return (str(namespace[NAMESPACE_LABEL]) if namespace else None), labels


def _ingress(peer: dict[str, Any], ports: list[dict[str, Any]]) -> IngressFrom | None:
    numbers: list[int | str] = [p["port"] for p in ports if isinstance(p.get("port"), int)]
    cidr = dig(peer, "ipBlock", "cidr")
    if isinstance(cidr, str):
        return IngressFrom(cidrs=[cidr], ports=numbers)
    selected = _selected(peer)
    if selected is None:
        return None
    return IngressFrom(namespace=selected[0], pods=selected[1], ports=numbers)


def _egress(peer: dict[str, Any], ports: list[dict[str, Any]]) -> EgressTo | None:
    numbers = [p["port"] for p in ports if isinstance(p.get("port"), int)]
    protocols = {p.get("protocol", "TCP") for p in ports}
    if not numbers or len(protocols) != 1:
        return None
    protocol = protocols.pop()
    block = dig(peer, "ipBlock")
    if isinstance(block, dict):
        cidr, holes = block.get("cidr"), block.get("except") or []
        if any(cidr == c and list(holes) == list(h) for c, h in INTERNET):
            return EgressTo(internet=True, ports=numbers, protocol=protocol)
        return EgressTo(cidrs=[str(cidr)], ports=numbers, protocol=protocol) if not holes else None
    selected = _selected(peer)
    if selected is None:
        return None
    return EgressTo(namespace=selected[0], pods=selected[1], ports=numbers, protocol=protocol)
