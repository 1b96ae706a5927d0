"""Stateful tiers: a StatefulSet with a headless governing Service and a
persistent volume claim per pod."""

from __future__ import annotations

from tiers import ir, model
from tiers.diagnostics import Diagnostic, error
from tiers.modelbase import defined_at
from tiers.security import Storage

DATA_VOLUME = "data"


def is_stateful(tier: model.Tier) -> bool:
    """``stateful`` when given; else true with ``storage`` or a kind with a data directory."""
    if tier.stateful is not None:
        return tier.stateful
    return tier.storage is not None or tier.profile.storage is not None


def make_stateful(
    tier: model.Tier, resolved: ir.Tier, ports: list[ir.ServicePort], diagnostics: list[Diagnostic]
) -> None:
    """Turn the tier's workload into a StatefulSet; ``ports`` are those of a
    governing Service tiers adds when none of the tier's Services is headless."""
    if not is_stateful(tier):
        if tier.storage is not None:
            diagnostics.append(_stateless_storage(tier))
        return
    workload = resolved.workload
    workload.kind = "StatefulSet"
    workload.service_name = _governing_service(tier, resolved, ports).meta.name
    _claim_storage(tier, workload, diagnostics)


def _governing_service(
    tier: model.Tier, resolved: ir.Tier, ports: list[ir.ServicePort]
) -> ir.Service:
    for service in resolved.services:
        if service.headless:
            return service
    meta = resolved.workload.meta
    service = ir.Service(
        meta=ir.Meta(f"{tier.name}-headless", resolved.namespace, dict(meta.labels)),
        type="ClusterIP",
        headless=True,
        selector=dict(resolved.workload.selector),
        ports=ports,
        origin="stateful",
    )
    resolved.services.append(service)
    return service


def _claim_storage(tier: model.Tier, workload: ir.Workload, diagnostics: list[Diagnostic]) -> None:
    default = tier.profile.storage
    storage = tier.storage
    if storage is None and default is None:
        return
    if storage is None:
        storage = Storage(default.size if default else "1Gi")
    mount_path = storage.mount_path or (default.mount_path if default else None)
    if mount_path is None:
        diagnostics.append(
            error(
                "storage-mount-path",
                "is required for a general Tier: say where the data lives, for example "
                'Storage("10Gi", mount_path="/data")',
                tier=tier.name,
                field="storage.mount_path",
                location=defined_at(storage),
            )
        )
        return
    workload.volume_claims.append(ir.VolumeClaim(DATA_VOLUME, storage.size, storage.storage_class))
    workload.containers[0].volume_mounts.append(ir.VolumeMount(DATA_VOLUME, mount_path))


def _stateless_storage(tier: model.Tier) -> Diagnostic:
    return error(
        "storage-needs-stateful",
        "a persistent volume per pod needs a StatefulSet: drop stateful=False, or drop storage",
        tier=tier.name,
        field="storage",
        location=defined_at(tier),
    )
