"""Stateful tiers: a StatefulSet with a headless governing Service and a
persistent volume claim per pod."""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.security import Storage
from tiers.resolve.pods import mount_writable_paths

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
        elif tier.profile.storage is not None:  # the data directory stays writable
            workload = resolved.workload
            mount_writable_paths(
                workload, workload.containers[0], [tier.profile.storage.mount_path]
            )
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
        meta=ir.Meta(f"{tier.name}-headless", resolved.namespace, meta.labels),
        type="ClusterIP",
        headless=True,
        selector=resolved.workload.selector,
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
    sub_path = storage.sub_path or (default.sub_path if default else None)
    problem = _storage_problem(mount_path, sub_path)
    if problem is not None or mount_path is None:
        field, message = problem or ("storage", "")
        diagnostics.append(
            error(
                f"{field.replace('.', '-').replace('_', '-')}",
                message,
                tier=tier.name,
                field=field,
                location=defined_at(storage),
            )
        )
        return
    workload.volume_claims.append(ir.VolumeClaim(DATA_VOLUME, storage.size, storage.storage_class))
    mount = ir.VolumeMount(DATA_VOLUME, mount_path, sub_path=sub_path)
    workload.containers[0].volume_mounts.append(mount)


def _storage_problem(mount_path: str | None, sub_path: str | None) -> tuple[str, str] | None:
    """The field and message of what is wrong with where the volume is mounted."""
    if mount_path is None:
        return (
            "storage.mount_path",
            "is required for a general Tier: say where the data lives, for example "
            'Storage("10Gi", mount_path="/data")',
        )
    if sub_path is not None and (sub_path.startswith("/") or ".." in sub_path.split("/")):
        return (
            "storage.sub_path",
            f"{sub_path!r} must be a path inside the volume: relative, without '..' "
            '(for example "data")',
        )
    return None


def _stateless_storage(tier: model.Tier) -> Diagnostic:
    return error(
        "storage-needs-stateful",
        "a persistent volume per pod needs a StatefulSet: drop stateful=False, or drop storage",
        tier=tier.name,
        field="storage",
        location=defined_at(tier),
    )
