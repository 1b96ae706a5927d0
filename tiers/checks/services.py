"""Checks of Services: what they forward to and what they select."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean, error


def check_target_ports(context: Context) -> Iterator[Diagnostic]:
    """Every targetPort is a container port of the selected pods, by number or name."""
    for tier in context.resolved.tiers:
        ports = [p for c in tier.workload.containers for p in c.ports]
        numbers = {p.number for p in ports}
        names = {p.name for p in ports if p.name}
        for service in tier.services:
            for port in service.ports:
                target = port.target_port
                if target in numbers or target in names:
                    continue
                yield error(
                    "service-target-port",
                    _target_message(target, ports),
                    tier=tier.name,
                    field=ir.field_path(port.origin, "target_port"),
                    location=context.location(tier),
                )


def _target_message(target: int | str, ports: list[ir.ContainerPort]) -> str:
    if not ports:
        return (
            f"{target} is not a port of any container: the tier has no container ports. "
            f"Add ports=[{target if isinstance(target, int) else 8080}]"
        )
    listed = ", ".join(f"{p.number} ({p.name})" if p.name else str(p.number) for p in ports)
    if isinstance(target, str):
        names = [p.name for p in ports if p.name]
        hint = did_you_mean(target, names)
        return (
            f"'{target}' is not the name of any container port (container ports: {listed}).{hint}"
        )
    hint = f" Did you mean {ports[0].number}?" if len(ports) == 1 else ""
    if not hint:
        close = did_you_mean(str(target), [str(p.number) for p in ports])
        hint = close.replace("'", "")
    return f"{target} is not a port of any container (container ports: {listed}).{hint}"


def check_selectors(context: Context) -> Iterator[Diagnostic]:
    """Each Service selects the pods of its own tier and of no other."""
    tiers = context.resolved.tiers
    by_label: dict[tuple[str, str, str], list[ir.Tier]] = {}
    for tier in tiers:
        for key, value in tier.workload.pod_labels.items():
            by_label.setdefault((tier.namespace, key, value), []).append(tier)
    for tier in tiers:
        for service in tier.services:
            others = _selected(service, tier.namespace, by_label) - {tier.name}
            if others:
                yield error(
                    "service-selects-other-tier",
                    f"Service '{service.meta.name}' also selects the pods of tier "
                    f"{', '.join(repr(o) for o in sorted(others))}: "
                    "give each tier selector labels of its own",
                    tier=tier.name,
                    field="selector",
                    location=context.location(tier),
                )


def _selected(
    service: ir.Service, namespace: str, by_label: dict[tuple[str, str, str], list[ir.Tier]]
) -> set[str]:
    if not service.selector:
        return set()
    candidates = min(
        (by_label.get((namespace, k, v), []) for k, v in service.selector.items()), key=len
    )
    return {
        t.name
        for t in candidates
        if all(t.workload.pod_labels.get(k) == v for k, v in service.selector.items())
    }
