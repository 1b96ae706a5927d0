"""HorizontalPodAutoscaler, PodDisruptionBudget and topology spread of each tier."""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic, warning
from tiers.model import app as model
from tiers.model.base import defined_at, given
from tiers.model.scaling import DisruptionBudget, TopologySpread

WITHOUT_REPLICAS = frozenset({"Job", "CronJob", "DaemonSet"})


def resolve_availability(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Fill in each tier's autoscaler, disruption budget and spread constraints
    (none for the kinds without replicas: Jobs, CronJobs, DaemonSets)."""
    for tier, resolved in pairs:
        if resolved.workload.kind in WITHOUT_REPLICAS:
            continue
        resolved.autoscaler = _autoscaler(tier, resolved, diagnostics)
        resolved.disruption_budget = _disruption_budget(tier, resolved)
        resolved.workload.topology_spread = _spread(tier, resolved)


def _autoscaler(
    tier: model.Tier, resolved: ir.Tier, diagnostics: list[Diagnostic]
) -> ir.Autoscaler | None:
    spec = tier.autoscale
    if spec is None:
        return None
    workload = resolved.workload
    workload.replicas = None
    if "replicas" in given(tier):
        diagnostics.append(
            warning(
                "replicas-with-autoscale",
                f"replicas={tier.replicas} is left out of the {workload.kind}: the "
                "HorizontalPodAutoscaler owns it. Remove replicas, or set "
                "Autoscale(min_replicas=...) instead",
                tier=tier.name,
                field="replicas",
                location=defined_at(tier),
            )
        )
    meta = workload.meta
    return ir.Autoscaler(
        meta=ir.Meta(meta.name, meta.namespace, meta.labels, meta.annotations),
        target_kind=workload.kind,
        target_name=meta.name,
        min_replicas=spec.min_replicas,
        max_replicas=spec.max_replicas,
        cpu=spec.cpu,
        memory=spec.memory,
    )


def least_replicas(tier: model.Tier) -> int:
    """The fewest pods the tier runs: ``replicas``, or the autoscaler's minimum."""
    return tier.autoscale.min_replicas if tier.autoscale is not None else tier.replicas


def most_replicas(tier: model.Tier) -> int:
    """The most pods the tier runs: ``replicas``, or the autoscaler's maximum."""
    return tier.autoscale.max_replicas if tier.autoscale is not None else tier.replicas


def _disruption_budget(tier: model.Tier, resolved: ir.Tier) -> ir.DisruptionBudget | None:
    spec = tier.disruption_budget
    if spec is False or (spec is True and least_replicas(tier) <= 1):
        return None
    if not isinstance(spec, DisruptionBudget):
        spec = DisruptionBudget()
    max_unavailable = spec.max_unavailable
    if max_unavailable is None and spec.min_available is None:
        max_unavailable = 1
    meta = resolved.workload.meta
    return ir.DisruptionBudget(
        meta=ir.Meta(meta.name, meta.namespace, meta.labels, meta.annotations),
        selector=resolved.workload.selector,
        max_unavailable=max_unavailable,
        min_available=spec.min_available,
        unhealthy_pod_eviction_policy=spec.unhealthy_pod_eviction_policy,
    )


def _spread(tier: model.Tier, resolved: ir.Tier) -> list[ir.TopologySpread]:
    spec = tier.topology_spread
    if spec is False or (spec is True and most_replicas(tier) <= 1):
        return []
    if not isinstance(spec, TopologySpread):
        spec = TopologySpread()
    return [
        ir.TopologySpread(
            topology_key=spec.topology_key,
            max_skew=spec.max_skew,
            when_unsatisfiable=spec.when_unsatisfiable,
            selector=resolved.workload.selector,
        )
    ]
