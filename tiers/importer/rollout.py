"""Rollout order: the Argo CD sync waves and hooks of the input, back into
``Job(before=[...])`` and ``App(sync_waves=...)``.

tiers writes the annotations itself (see :mod:`tiers.render.rollout`), so
the importer looks for the settings that write them again: each hook Job
runs before the tiers one wave after it (or, failing that, every later
tier), with or without waves from the wiring. The first setting under which
the app's waves and hooks are exactly the input's is kept, and the
annotations are left to tiers; when none is, they stay as written.
"""

from __future__ import annotations

from typing import Any

from tiers.compiler import validate
from tiers.importer.group import Plan, dig
from tiers.model.app import App, Tier
from tiers.model.workloads import Job
from tiers.render.rollout import FLUX_FORCE, HOOK, HOOK_DELETE_POLICY, SYNC_WAVE

ROLLOUT_KEYS = (SYNC_WAVE, HOOK, HOOK_DELETE_POLICY)
Order = dict[str, tuple[int, bool]]
"""Tier name → (sync wave, is a hook)."""


def without_generated(plan: Plan, annotations: dict[str, str]) -> dict[str, str]:
    """A workload's annotations without those tiers writes itself: the rollout's
    (put back by :func:`infer_rollout` when nothing writes them again), and on a
    Job Flux's ``force``, which tiers writes on every Job."""
    if plan.cls is Job and annotations.get(FLUX_FORCE) == "enabled":
        annotations = {k: v for k, v in annotations.items() if k != FLUX_FORCE}
    return without_rollout(annotations)


def without_rollout(annotations: dict[str, str]) -> dict[str, str]:
    """``annotations`` without the sync wave and hook tiers writes."""
    return {k: v for k, v in annotations.items() if k not in ROLLOUT_KEYS}


def infer_rollout(app: App, plans: list[Plan], tiers: dict[str, Tier]) -> bool:
    """Set ``before`` and ``sync_waves`` so that the app writes the input's
    waves and hooks; leave the annotations as written when nothing does.
    ``True`` when the input has any (the app may have changed)."""
    wanted = {plan.name: _order(plan) for plan in plans}
    if not any(wave or hook for wave, hook in wanted.values()):
        return False
    for sync_waves in (False, True):
        for exact in (True, False):
            app.sync_waves = sync_waves
            _set_before(tiers, wanted, exact)
            if _writes(app, wanted):
                _strip_accounts(tiers)
                return True
    app.sync_waves = False
    for plan in plans:
        tier = tiers[plan.name]
        written = dig(plan.group.workload.manifest, "metadata", "annotations") or {}
        kept = {k: str(v) for k, v in written.items() if k in ROLLOUT_KEYS}
        tier.annotations = {**tier.annotations, **kept}
        if isinstance(tier, Job):
            tier.before = []
    return True


def _order(plan: Plan) -> tuple[int, bool]:
    annotations = dig(plan.group.workload.manifest, "metadata", "annotations") or {}
    wave = str(annotations.get(SYNC_WAVE, "0"))
    hook = annotations.get(HOOK) == "Sync" and annotations.get(HOOK_DELETE_POLICY) == (
        "BeforeHookCreation"
    )
    number = int(wave) if wave.lstrip("-").isdigit() else 0
    return number, hook and plan.cls is Job


def _set_before(tiers: dict[str, Tier], wanted: Order, exact: bool) -> None:
    for name, tier in tiers.items():
        if not isinstance(tier, Job):
            continue
        wave, hook = wanted[name]
        later = [
            tiers[other]
            for other, (their, is_hook) in wanted.items()
            if hook and not is_hook and (their == wave + 1 if exact else their > wave)
        ]
        tier.before = later


def _writes(app: App, wanted: Order) -> bool:
    resolved, diagnostics = validate(app)
    if any(d.severity == "error" for d in diagnostics):
        return False
    found = {
        t.name: (t.rollout.wave, t.rollout.hook) if t.rollout is not None else (0, False)
        for t in resolved.tiers
    }
    return found == wanted


def _strip_accounts(tiers: dict[str, Tier]) -> None:
    """The rollout annotations tiers writes on a ServiceAccount too."""
    for tier in tiers.values():
        account = tier.service_account
        if account is not None:
            account.annotations = _without(account.annotations)


def _without(annotations: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in annotations.items() if k not in ROLLOUT_KEYS}
