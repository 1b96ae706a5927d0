"""A Service whose selector matches the pods of several workloads (the
versions of one service behind one name: Istio's bookinfo ``reviews`` over
``reviews-v1``, ``-v2`` and ``-v3``; a canary beside its stable Deployment).

A tier's Service selects that tier's pods only, so tiers cannot make it. It
is kept beside the app (its warning says so: apply it with the YAML tiers
writes), and the connections it carried stay open: each workload it selects
admits the app's pods on the container ports it targets
(``ingress_from=[IngressFrom(pods={part-of: app})]``), and every tier may
call those pods there (``egress_to=[EgressTo(pods=<its selector>)]``), as
the input, without NetworkPolicies, allowed every pod. The warning says what
to narrow.
"""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Group, Omission, Plan, Scope, dig, items, scalar
from tiers.importer.read import Source
from tiers.model.app import Tier
from tiers.model.connections import EgressTo, IngressFrom

PART_OF = "app.kubernetes.io/part-of"


def spanning_services(
    groups: list[Group], sources: list[Source]
) -> list[tuple[Source, list[Group]]]:
    """Each Service no group took whose selector matches the pods of several groups."""
    taken = {id(s) for g in groups for s in g.services}
    found = []
    for source in sources:
        if source.kind != "Service" or id(source) in taken:
            continue
        selector = dig(source.manifest, "spec", "selector")
        if not isinstance(selector, dict) or not selector:
            continue
        namespace = source.namespace
        selected = [
            g
            for g in groups
            if g.workload.kind in ("Deployment", "StatefulSet")
            and (namespace is None or g.namespace in (None, namespace))
            and all(g.pod_labels.get(k) == v for k, v in selector.items())
        ]
        if len(selected) > 1:
            found.append((source, selected))
    return found


def open_spanning(
    shared: list[tuple[Source, list[Group]]],
    plans: list[Plan],
    tiers: dict[str, Tier],
    scope: Scope,
) -> list[Omission]:
    """Open what each shared Service carried; the warnings that replace its
    "not imported" one."""
    by_group = {id(p.group): p.name for p in plans}
    warnings = []
    for source, groups in shared:
        selector = dict(dig(source.manifest, "spec", "selector"))
        names = [by_group[id(g)] for g in groups if id(g) in by_group]
        numbers: list[int] = []
        for group in groups:
            ports = _targets(source, group)
            numbers += [n for n in ports if n not in numbers]
            admit = IngressFrom(pods={PART_OF: scope.app}, ports=list(ports))
            tiers[by_group[id(group)]].ingress_from.append(admit)
        for tier in tiers.values():
            tier.egress_to.append(EgressTo(pods=selector, ports=sorted(numbers)))
        warnings.append(Omission(source, _message(names, numbers)))
    return warnings


def _targets(service: Source, group: Group) -> list[int]:
    """The container port numbers of ``group`` that the Service's ports target."""
    numbers = {}
    for container in group.containers:
        for port in items(container.get("ports")):
            number = scalar(port.get("containerPort"))
            if isinstance(number, int):
                numbers[number] = number
                if isinstance(port.get("name"), str):
                    numbers[port["name"]] = number
    found: list[int] = []
    for port in items(dig(service.manifest, "spec", "ports")):
        target: Any = scalar(port.get("targetPort", port.get("port")))
        number = numbers.get(target, target if isinstance(target, int) else None)
        if isinstance(number, int) and number not in found:
            found.append(number)
    return found


def _message(tiers: list[str], ports: list[int]) -> str:
    listed = ", ".join(f"'{t}'" for t in tiers)
    return (
        f"its selector matches the pods of several workloads (tiers {listed}), and a tier's "
        "Service selects its own pods only: keep it in its own file beside the YAML tiers "
        "writes and apply it with the app. So that its callers still reach them, tiers "
        f"{listed} admit the app's pods on port(s) {', '.join(map(str, ports))} "
        "(ingress_from) and every tier may call them there (egress_to); narrow those to "
        "the tiers that call the Service"
    )
