"""Sidecars and init containers: a tier's other containers, resolved and
hardened like its main one.

Each :class:`~tiers.Container` becomes an :class:`ir.Container` whose
``origin`` is the user's field (``sidecars[0]``, ``init_containers[1]``), so
every check can name it. Sidecars are regular containers unless
``native_sidecar=True``, which makes them init containers with
``restartPolicy: Always``, placed before the init containers so those can
use them.
"""

from __future__ import annotations

from tiers import ir
from tiers.model import app as model
from tiers.model.profile import SIDECAR_PROFILE
from tiers.resolve.pods import ContainerSpec

Owner = model.Tier | model.Container
"""What holds a container's fields: the tier (its main container) or a :class:`~tiers.Container`."""


def owners(tier: model.Tier) -> list[tuple[str, Owner]]:
    """Every container of ``tier`` as written, with its field: ``("", tier)``
    for the main one, then ``("sidecars[0]", ...)`` and ``("init_containers[0]", ...)``."""
    found: list[tuple[str, Owner]] = [("", tier)]
    for field in ("sidecars", "init_containers"):
        items = getattr(tier, field, None)
        if not isinstance(items, list):
            continue
        found += [(f"{field}[{i}]", c) for i, c in enumerate(items) if _usable(c)]
    return found


def _usable(item: object) -> bool:
    return isinstance(item, model.Container) and isinstance(item.name, str)


def container_of(workload: ir.Workload, origin: str) -> ir.Container:
    """The container of ``workload`` made from the field ``origin`` (``""``: the main one)."""
    for container in workload.pod_containers():
        if container.origin == origin:
            return container
    raise KeyError(origin)


def container_ports(ports: list[model.Port | int], origin: str = "") -> list[ir.ContainerPort]:
    """Container ports, plain numbers turned into unnamed TCP ports."""
    result = []
    for index, port in enumerate(ports):
        field = ir.field_path(origin, f"ports[{index}]")
        if isinstance(port, int):
            result.append(ir.ContainerPort(port, None, "TCP", field))
        else:
            result.append(ir.ContainerPort(port.number, port.name, port.protocol, field))
    return result


def add_containers(
    tier: model.Tier, workload: ir.Workload
) -> list[tuple[ir.Container, ContainerSpec]]:
    """Add the tier's sidecars and init containers to ``workload`` (native
    sidecars first among the init containers); return each with what hardens it."""
    added = []
    native: list[ir.Container] = []
    init: list[ir.Container] = []
    for origin, owner in owners(tier)[1:]:
        assert isinstance(owner, model.Container)
        container = _container(owner, origin)
        is_init = origin.startswith("init_containers")
        if is_init:
            init.append(container)
        elif owner.native_sidecar is True:
            container.restart_policy = "Always"
            native.append(container)
        else:
            workload.containers.append(container)
        spec = ContainerSpec(
            SIDECAR_PROFILE, owner.security, owner.resources, owner.probes, origin, owner, is_init
        )
        added.append((container, spec))
    workload.init_containers = [*native, *init]
    return added


def _container(spec: model.Container, origin: str) -> ir.Container:
    return ir.Container(
        name=spec.name,
        image=spec.image if isinstance(spec.image, str) else "",
        command=list(spec.command) if spec.command is not None else None,
        args=list(spec.args) if spec.args is not None else None,
        ports=container_ports(spec.ports, origin),
        env=[],
        origin=origin,
        image_pull_policy=spec.image_pull_policy
        if isinstance(spec.image_pull_policy, str)
        else "Always",
    )
