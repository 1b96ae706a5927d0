"""What tiers writes for GitOps tools, on a tier's rendered objects.

- Every object of a tier whose wave is not 0 (see
  :mod:`tiers.resolve.rollout`): ``argocd.argoproj.io/sync-wave: "<wave>"``.
  Argo CD applies the waves in order and waits for each to be healthy (a Job:
  completed) before the next.
- The Job of a tier that runs before others (``Job(before=[...])``):
  ``argocd.argoproj.io/hook: Sync`` and
  ``argocd.argoproj.io/hook-delete-policy: BeforeHookCreation``, so that each
  sync runs it again (a Job's pod template cannot be changed in place) and
  the previous run is deleted first.
- Every Job: ``kustomize.toolkit.fluxcd.io/force: enabled``, so that Flux
  replaces it when its pod template changes instead of failing to apply it.
"""

from __future__ import annotations

from typing import Any

from tiers import ir

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
FLUX_FORCE = "kustomize.toolkit.fluxcd.io/force"


def rollout_annotations(tier: ir.Tier, kind: str) -> dict[str, str]:
    """The annotations tiers adds to the tier's object of ``kind``."""
    found: dict[str, str] = {}
    rollout = tier.rollout
    if rollout is not None and rollout.wave:
        found[SYNC_WAVE] = str(rollout.wave)
    if kind == "Job" and tier.workload.kind == "Job":
        if rollout is not None and rollout.hook:
            found[HOOK] = "Sync"
            found[HOOK_DELETE_POLICY] = "BeforeHookCreation"
        found[FLUX_FORCE] = "enabled"
    return found


def annotate(tier: ir.Tier, manifests: list[dict[str, Any]]) -> None:
    """Add :func:`rollout_annotations` to each of the tier's ``manifests``."""
    for manifest in manifests:
        extra = rollout_annotations(tier, str(manifest.get("kind")))
        if not extra:
            continue
        metadata = manifest.setdefault("metadata", {})
        metadata["annotations"] = {**(metadata.get("annotations") or {}), **extra}
