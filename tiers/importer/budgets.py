"""PodDisruptionBudgets: the input's budget for a tier's pods into
``disruption_budget=``, never beside one tiers adds.

A budget named after the workload, selecting exactly the workload's pods with
``maxUnavailable`` or ``minAvailable`` (and an eviction policy), becomes
``DisruptionBudget(...)`` (Kubernetes' default eviction policy,
``IfHealthyBudget``, written out where the input leaves it out). Any other
budget that selects one tier's pods stays beside the app, with a warning,
and that tier gets ``disruption_budget=False``: two budgets over the same
pods would block evictions together.
"""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Group, Omission, Plan, Scope, dig
from tiers.importer.read import Source
from tiers.model.scaling import DisruptionBudget

PDB_API = "policy/v1"
KEPT = ("Deployment", "StatefulSet")
"""The workloads whose pods a budget protects (Jobs run to completion,
DaemonSet pods are left alone by a drain)."""
FIELDS = frozenset({"selector", "maxUnavailable", "minAvailable", "unhealthyPodEvictionPolicy"})
POLICIES = ("AlwaysAllow", "IfHealthyBudget")


def claim_budgets(sources: list[Source], groups: list[Group], namespace: str | None) -> set[int]:
    """Attach each budget to the group whose pods it selects; the ids of those
    imported as typed budgets (the others keep their warning)."""
    by_selector = {_key(g.namespace, g.selector): g for g in groups if g.workload.kind in KEPT}
    claimed: set[int] = set()
    for source in sources:
        if source.kind != "PodDisruptionBudget" or source.manifest.get("apiVersion") != PDB_API:
            continue
        selector = dig(source.manifest, "spec", "selector", "matchLabels")
        if not isinstance(selector, dict):
            continue
        found = by_selector.get(_key(source.namespace or namespace, selector))
        if found is None:
            continue
        if _typed(source, found):
            found.budget = source
            claimed.add(id(source))
        else:
            found.budget_beside = source
    return claimed


def _key(namespace: str | None, selector: dict[Any, Any]) -> tuple[str | None, frozenset[Any]]:
    return namespace, frozenset((str(k), str(v)) for k, v in selector.items())


def _typed(source: Source, g: Group) -> bool:
    spec = source.manifest.get("spec")
    if not isinstance(spec, dict) or set(spec) - FIELDS or source.name != g.workload.name:
        return False
    bounds = [spec.get(k) for k in ("maxUnavailable", "minAvailable") if k in spec]
    policy = spec.get("unhealthyPodEvictionPolicy", "IfHealthyBudget")
    plain = set(source.metadata) <= {"name", "namespace", "labels", "annotations"}
    return plain and len(bounds) == 1 and isinstance(bounds[0], int | str) and policy in POLICIES


def disruption_budget(plan: Plan, scope: Scope) -> Any:
    """The tier's ``disruption_budget``: the input's, ``False`` when one stays
    beside, else tiers' default."""
    if plan.group.budget_beside is not None:
        return False
    if plan.group.budget is None:
        return True
    spec = plan.group.budget.manifest["spec"]
    found = DisruptionBudget(
        max_unavailable=spec.get("maxUnavailable"),
        min_available=spec.get("minAvailable"),
        unhealthy_pod_eviction_policy=spec.get("unhealthyPodEvictionPolicy", "IfHealthyBudget"),
    )
    default = (found.max_unavailable, found.unhealthy_pod_eviction_policy) == (1, "AlwaysAllow")
    replicas = plan.kwargs.get("replicas", 1)
    return True if default and isinstance(replicas, int) and replicas > 1 else found


def beside_warnings(groups: list[Group], warnings: list[Omission]) -> list[Omission]:
    """The warnings of budgets kept beside, saying what the tier does instead."""
    beside = {id(g.budget_beside): g for g in groups if g.budget_beside is not None}
    result = []
    for w in warnings:
        g = beside.get(id(w.source))
        if g is None:
            result.append(w)
            continue
        message = (
            "tiers does not import this PodDisruptionBudget as written (its name or fields "
            "differ from what disruption_budget= writes); keep it in its own file beside the "
            f"YAML tiers writes. Tier '{g.workload.name}' has disruption_budget=False, so the "
            "two do not block evictions together"
        )
        result.append(Omission(w.source, message))
    return result
