"""StatefulSets: an input StatefulSet into ``stateful=`` and ``storage=``.

A StatefulSet becomes ``stateful=True`` (left out where the kind is stateful
by default, as MySQL is); a MySQL Deployment becomes ``stateful=False``. One
volume claim template that tiers would write itself (named ``data``,
``ReadWriteOnce``, mounted by the first container) becomes
``storage=Storage(...)``; any other claim is kept by a patch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiers.importer.group import dig, items
from tiers.model.security import Storage
from tiers.resolve.core import MANAGED_BY
from tiers.resolve.stateful import DATA_VOLUME

if TYPE_CHECKING:
    from tiers.importer.group import Plan, Scope


def stateful(plan: Plan, scope: Scope) -> Any:
    """``True`` / ``False`` where the input's workload kind is not the kind's default."""
    wanted = plan.group.workload.kind == "StatefulSet"
    return None if wanted == (plan.cls.profile.storage is not None) else wanted


def storage(plan: Plan, scope: Scope) -> Any:
    """The :class:`~tiers.Storage` of the input's one ``data`` claim, if it fits;
    ``None`` where the kind's default storage already matches."""
    claim = _data_claim(plan)
    mount = next(
        (m for m in items(plan.container.get("volumeMounts")) if m.get("name") == DATA_VOLUME),
        None,
    )
    if claim is None or mount is None or not isinstance(mount.get("mountPath"), str):
        return None
    size = dig(claim, "spec", "resources", "requests", "storage")
    storage_class = dig(claim, "spec", "storageClassName")
    if not isinstance(size, str) or not isinstance(storage_class, str | None):
        return None
    sub_path = mount.get("subPath") if isinstance(mount.get("subPath"), str) else None
    found = Storage(size, storage_class=storage_class, mount_path=mount["mountPath"])
    found.sub_path = sub_path
    return None if _fields(found) == _fields(_default(plan)) else _without_defaults(found, plan)


def _fields(storage: Storage | None) -> tuple[str | None, ...] | None:
    if storage is None:
        return None
    return (storage.size, storage.storage_class, storage.mount_path, storage.sub_path)


def governing(plan: Plan, manifest: dict[str, Any]) -> bool:
    """True for the headless governing Service tiers added to a stateful tier
    that had none (``<tier>-headless``, made by tiers): the tier makes it again."""
    name = dig(manifest, "metadata", "name")
    made_by = dig(manifest, "metadata", "labels", "app.kubernetes.io/managed-by")
    workload = plan.group.workload
    others = [s for s in plan.group.services if s.manifest is not manifest]
    return (
        workload.kind == "StatefulSet"
        and made_by == MANAGED_BY
        and name == f"{plan.name}-headless"
        and dig(workload.manifest, "spec", "serviceName") == name
        and dig(manifest, "spec", "clusterIP") == "None"
        and not any(dig(s.manifest, "spec", "clusterIP") == "None" for s in others)
        and _container_ports_only(plan, manifest)
    )


def _container_ports_only(plan: Plan, manifest: dict[str, Any]) -> bool:
    """True when the Service has a port per container port, each to the same number."""
    ports = items(dig(manifest, "spec", "ports"))
    given = sorted(((p.get("port"), p.get("protocol", "TCP")) for p in ports), key=repr)
    container = items(plan.container.get("ports"))
    wanted = sorted(
        ((p.get("containerPort"), p.get("protocol", "TCP")) for p in container), key=repr
    )
    return given == wanted and all(
        p.get("targetPort", p.get("port")) == p.get("port") for p in ports
    )


def _data_claim(plan: Plan) -> dict[str, Any] | None:
    if plan.group.workload.kind != "StatefulSet":
        return None
    claims = items(dig(plan.group.workload.manifest, "spec", "volumeClaimTemplates"))
    if len(claims) != 1 or dig(claims[0], "metadata", "name") != DATA_VOLUME:
        return None
    return claims[0] if dig(claims[0], "spec", "accessModes") == ["ReadWriteOnce"] else None


def _default(plan: Plan) -> Storage | None:
    default = plan.cls.profile.storage
    if default is None:
        return None
    return Storage(default.size, mount_path=default.mount_path, sub_path=default.sub_path)


def _without_defaults(found: Storage, plan: Plan) -> Storage:
    """``found`` with the fields that equal the kind's defaults left unset
    (a sub path the kind would add but the input lacks stays for a patch)."""
    default = plan.cls.profile.storage
    if default is None:
        return found
    mount_path = None if found.mount_path == default.mount_path else found.mount_path
    sub_path = None if found.sub_path == default.sub_path else found.sub_path
    return Storage(
        found.size, storage_class=found.storage_class, mount_path=mount_path, sub_path=sub_path
    )
