"""Calls the input makes without naming them: ``calls=`` of the imported tiers.

An input without NetworkPolicies lets every pod call every Service. tiers
opens only what the wiring says, so a tier whose Services no env value of
the input names (its clients know it by a name built into their image or
config) would be cut off. Such a tier is left open to every tier of the app,
as the input left it: a loop at the end of the written app adds it to each
tier's ``calls``, with a comment saying what to narrow, and a warning names
it. A tier whose pods a NetworkPolicy of the input selects is not opened:
the input's policies say who calls it.

A call to a tier written later in the file (a cycle of calls) is added after
every tier: ``kafka.calls += [zookeeper]``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tiers.importer.codegen import Atom, Bracket, Item, layout, literal
from tiers.importer.group import Omission, Plan, dig, items, scalar
from tiers.importer.read import Source
from tiers.importer.references import refs_in
from tiers.model.app import App, Call, ServiceEndpoint, Tier
from tiers.model.refs import REFS

OPEN_VARIABLE = "unwired"


@dataclass
class Later:
    """What the written app adds after its tiers: the open tiers, and late calls."""

    opened: list[Tier]
    plans: list[Plan]
    tiers: dict[str, Tier]


def called(call: Call) -> object:
    """The tier (or external Service) a ``calls=`` entry calls."""
    if isinstance(call, REFS):
        return call.target
    return call.tier if isinstance(call, ServiceEndpoint) else call


def open_calls(
    app: App, plans: list[Plan], tiers: dict[str, Tier], sources: list[Source]
) -> list[Tier]:
    """The tiers open to every other tier: those no reference or call reaches
    that have Services and no NetworkPolicy of the input, and those every
    other tier calls whole (read back from the policies of an earlier
    import). The calls to them are taken out of each tier's own."""
    if len(app.tiers) < 2:
        return []  # no other tier to call it
    callers = Counter(id(c) for t in app.tiers for c in {id(c): c for c in t.calls}.values())
    everyone = [t for t in app.tiers if len(app.tiers) > 2 and callers[id(t)] == len(app.tiers) - 1]
    chosen = {id(t) for t in everyone}
    for tier in app.tiers:
        tier.calls = [c for c in tier.calls if id(c) not in chosen]
    reached = {
        id(r.target)
        for t in app.tiers
        for v in t.env.values()
        for r in refs_in(v)
        if r.target is not t
    }
    reached |= {id(called(c)) for t in app.tiers for c in t.calls if called(c) is not t}
    policies = _Policies(sources)
    unreached = [
        p
        for p in plans
        if p.group.services and id(tiers[p.name]) not in reached and not policies.guarded(p)
    ]
    chosen |= {id(tiers[p.name]) for p in unreached}
    for plan in unreached:
        plan.unreached = True
    return [t for t in app.tiers if id(t) in chosen]


class _Policies:
    """The input's NetworkPolicies by one label of their pod selectors, the
    one fewest of them share (``app.kubernetes.io/instance`` is on all of
    tiers' own), so that finding those that select a tier's pods looks at few."""

    def __init__(self, sources: list[Source]) -> None:
        self.every: set[str | None] = set()
        self.by_label: dict[tuple[str | None, str, str], list[dict[str, str]]] = {}
        selectors: list[tuple[str | None, dict[str, str]]] = []
        for policy in sources:
            if policy.kind != "NetworkPolicy":
                continue
            found = dig(policy.manifest, "spec", "podSelector", "matchLabels") or {}
            selector = {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
            if not selector:
                self.every.add(policy.namespace)
                continue
            selectors.append((policy.namespace, selector))
        shared = Counter((where, *pair) for where, s in selectors for pair in s.items())
        for where, selector in selectors:
            key, value = min(selector.items(), key=lambda pair: (shared[(where, *pair)], pair))
            self.by_label.setdefault((where, key, value), []).append(selector)

    def guarded(self, plan: Plan) -> bool:
        """True when a policy of the input selects the plan's pods."""
        labels = plan.group.pod_labels
        spaces = {plan.group.workload.namespace}
        if plan.group.namespace == plan.group.default_namespace:
            spaces.add(None)  # a policy naming no namespace is in the app's
        if spaces & self.every:
            return True
        return any(
            selector.items() <= labels.items()
            for where in spaces
            for key, value in labels.items()
            for selector in self.by_label.get((where, key, value), [])
        )


def opened_warnings(
    plans: list[Plan], tiers: dict[str, Tier], opened: list[Tier]
) -> list[Omission]:
    """One warning per open tier, naming its Services and what to narrow."""
    found = []
    for plan in plans:
        if not plan.unreached:
            continue  # every other tier calls it in the input: no news
        services = ", ".join(f"'{s.name}'" for s in plan.group.services)
        message = (
            f"no env value of the input names its Service(s) {services}, but its pods may be "
            "called by a name built into an image or its config, and the input (without "
            "NetworkPolicies) let every pod call them: every tier of the app may call it "
            f"(the loop over '{OPEN_VARIABLE}' at the end of the app); narrow that to the tiers "
            "that call it, with calls=[...] on each"
        )
        found.append(Omission(plan.group.workload, message, whole=False))
    return found


def late_statements(later: Later, names: dict[int, str]) -> list[list[str]]:
    """The statements after the tiers: late calls, then the loop over the open tiers."""
    statements = []
    for plan in later.plans:
        if plan.late_calls:
            target = f"{names[id(later.tiers[plan.name])]}.calls += "
            value = literal(plan.late_calls, names)
            statements.append(layout(value, 0, target))
    if later.opened:
        listed = Bracket("", "[", tuple(Item("", Atom(names[id(t)])) for t in later.opened), "]")
        statements.append(
            [
                "# No env value of the input names the Services of these tiers, yet their pods",
                "# may be called by names built into images or config. The input had no",
                "# NetworkPolicies, so every pod could call them: each tier may call them, as",
                "# before. Narrow this to the tiers that call each one (calls=[...] on them).",
                *layout(listed, 0, f"{OPEN_VARIABLE} = "),
                "for tier in app.tiers:",
                f"    tier.calls += [t for t in {OPEN_VARIABLE} if t is not tier]",
            ]
        )
    return statements


def open_peers(plans: list[Plan], tiers: dict[str, Tier], sources: list[Source]) -> list[Plan]:
    """StatefulSets of more than one pod whose containers open ports no
    Service of the input targets: their members talk on those (gossip,
    replication), which the input without NetworkPolicies allowed, so the
    tier gets ``peers=True``. Not for a tier a policy of the input selects."""
    policies = _Policies(sources)
    opened = []
    for plan in plans:
        tier = tiers[plan.name]
        workload = plan.group.workload
        replicas = dig(workload.manifest, "spec", "replicas")
        if workload.kind != "StatefulSet" or not isinstance(replicas, int) or replicas < 2:
            continue
        if tier.peers is not None or policies.guarded(plan) or not _unserved_ports(plan):
            continue
        tier.peers = True
        opened.append(plan)
    return opened


def _unserved_ports(plan: Plan) -> set[int]:
    """The container ports of a plan's pods that no Service of the input targets."""
    return set(_container_ports(plan).values()) - served_ports(plan)


def served_ports(plan: Plan) -> set[int]:
    """The container ports of a plan's pods that a Service of the input targets."""
    ports = _container_ports(plan)
    served = set()
    for service in plan.group.services:
        for port in items(dig(service.manifest, "spec", "ports")):
            if isinstance(port, dict):
                target = scalar(port.get("targetPort", port.get("port")))
                number = ports.get(target, target)
                if isinstance(number, int):
                    served.add(number)
    return served


def _container_ports(plan: Plan) -> dict[object, int]:
    """A plan's container ports by number and by name."""
    ports: dict[object, int] = {}
    for container in plan.group.containers:
        for port in items(container.get("ports")):
            number = port.get("containerPort") if isinstance(port, dict) else None
            if isinstance(number, int):
                ports[number] = number
                ports[scalar(port.get("name"))] = number
    return ports


def peers_warnings(opened: list[Plan]) -> list[Omission]:
    """One warning per StatefulSet given ``peers=True``, with what to narrow."""
    found = []
    for plan in opened:
        shown = ", ".join(str(p) for p in sorted(_unserved_ports(plan)))
        message = (
            f"its containers open {shown}, which no Service targets: the members of a "
            "StatefulSet talk on such ports (gossip, replication), and the input (without "
            "NetworkPolicies) let them, so its pods admit each other on every container port "
            "(peers=True); narrow that to the ports they use, with peers=[...]"
        )
        found.append(Omission(plan.group.workload, message, whole=False))
    return found
