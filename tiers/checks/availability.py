"""Checks of autoscalers, disruption budgets and topology spread."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error, warning

_PERCENT = re.compile(r"^(100|[1-9]?[0-9])%$")


def check_autoscalers(context: Context) -> Iterator[Diagnostic]:
    """Bounds in order (1 <= min <= max) and at least one positive target."""
    for tier in context.resolved.tiers:
        hpa = tier.autoscaler
        if hpa is None:
            continue
        where = {"tier": tier.name, "location": context.location(tier)}
        for problem, field in _autoscaler_problems(hpa):
            yield error("autoscale", problem, field=f"autoscale.{field}", **where)


def _autoscaler_problems(hpa: ir.Autoscaler) -> Iterator[tuple[str, str]]:
    if hpa.min_replicas < 1:
        yield f"must be at least 1 (got {hpa.min_replicas})", "min_replicas"
    if hpa.max_replicas < max(hpa.min_replicas, 1):
        yield (
            f"must be at least min_replicas ({hpa.min_replicas}); got {hpa.max_replicas}",
            "max_replicas",
        )
    if hpa.cpu is None and hpa.memory is None:
        yield "give a target: Autoscale(..., cpu=70) and/or memory=80 (percent)", "cpu"
    for name, value in (("cpu", hpa.cpu), ("memory", hpa.memory)):
        if value is not None and value < 1:
            yield f"a target utilisation is a percentage above 0 (got {value})", name


def check_disruption_budgets(context: Context) -> Iterator[Diagnostic]:
    """One bound, a count or a percentage, that still lets a node drain."""
    for tier in context.resolved.tiers:
        budget = tier.disruption_budget
        if budget is None:
            continue
        where = {"tier": tier.name, "location": context.location(tier)}
        if budget.max_unavailable is not None and budget.min_available is not None:
            yield error(
                "disruption-budget",
                "give max_unavailable or min_available, not both",
                field="disruption_budget",
                **where,
            )
        for name in ("max_unavailable", "min_available"):
            value = getattr(budget, name)
            problem = _bound_problem(value)
            if problem:
                yield error(
                    "disruption-budget", problem, field=f"disruption_budget.{name}", **where
                )
        yield from _blocking(tier, budget, where)


def _bound_problem(value: int | str | None) -> str | None:
    if value is None or (isinstance(value, int) and value >= 0):
        return None
    if isinstance(value, str) and _PERCENT.match(value):
        return None
    return f"is a number of pods (0 or more) or a percentage like '25%' (got {value!r})"


def _blocking(
    tier: ir.Tier, budget: ir.DisruptionBudget, where: dict[str, object]
) -> Iterator[Diagnostic]:
    replicas = tier.workload.replicas
    if tier.autoscaler is not None:
        replicas = tier.autoscaler.min_replicas
    blocked = budget.max_unavailable in (0, "0%") or budget.min_available == "100%"
    if isinstance(budget.min_available, int) and replicas is not None:
        blocked = blocked or budget.min_available >= replicas
    if blocked:
        yield warning(
            "disruption-budget-blocks",
            f"this PodDisruptionBudget allows no pod of the {replicas} to be evicted, "
            "so node drains and upgrades block; allow at least one (max_unavailable=1)",
            field="disruption_budget",
            **where,
        )


def check_topology_spread(context: Context) -> Iterator[Diagnostic]:
    """``max_skew`` is at least 1."""
    for tier in context.resolved.tiers:
        for spread in tier.workload.topology_spread:
            if spread.max_skew < 1:
                yield error(
                    "topology-spread",
                    f"must be at least 1 (got {spread.max_skew})",
                    tier=tier.name,
                    field="topology_spread.max_skew",
                    location=context.location(tier),
                )
