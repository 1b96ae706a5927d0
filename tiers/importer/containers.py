"""The pod's other containers into ``sidecars=[Container(...)]`` and
``init_containers=[Container(...)]``.

A container beside the first is a sidecar; an init container with
``restartPolicy: Always`` a native sidecar (``native_sidecar=True``); any
other init container runs before them, in order. Each gets its image,
command, args, ports, plain env values and Secret or ConfigMap references,
resources, probes and its own ``runAsUser``/``runAsGroup``; what a
:class:`~tiers.Container` has no field for stays in the tier's patch. A
literal credential in a sidecar's env is left to the patch too (only the
first container's move to a Secret).
"""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Plan, Scope, dig, items, scalar
from tiers.importer.hardening import container_probes, container_resources
from tiers.importer.secrets import holds_credential, value_from
from tiers.model.app import Container, EnvValue, Port
from tiers.model.profile import SIDECAR_PROFILE
from tiers.model.security import Security

ALWAYS = "Always"


def sidecars(plan: Plan, scope: Scope) -> Any:
    """The native sidecars (as tiers writes them, first), then the containers beside the first."""
    spec = dig(plan.group.pod_template, "spec")
    native = [c for c in items(dig(spec, "initContainers")) if c.get("restartPolicy") == ALWAYS]
    found = [_container(plan, c, init=False, native=True) for c in native]
    found += [_container(plan, c, init=False) for c in plan.group.containers[1:]]
    taken = {_number(p) for p in plan.kwargs.get("ports") or []}
    kept = []
    for container in (c for c in found if c is not None):
        numbers = {_number(p) for p in container.ports}
        if not numbers & taken:  # tiers refuses two containers on one port: a patch keeps it
            kept.append(container)
            taken |= numbers
    return kept


def _number(port: Port | int) -> int:
    return port if isinstance(port, int) else port.number


def init_containers(plan: Plan, scope: Scope) -> Any:
    """The init containers that run to completion, in order."""
    spec = dig(plan.group.pod_template, "spec")
    found = [c for c in items(dig(spec, "initContainers")) if c.get("restartPolicy") != ALWAYS]
    made = [_container(plan, c, init=True) for c in found]
    return [c for c in made if c is not None] if all(m is not None for m in made) else []


def _container(
    plan: Plan, spec: dict[str, Any], init: bool, native: bool = False
) -> Container | None:
    name, image = spec.get("name"), spec.get("image")
    if not isinstance(name, str) or not isinstance(image, str) or not image.strip():
        return None
    found = spec.get("securityContext")
    own: dict[str, Any] = found if isinstance(found, dict) else {}
    ids = {
        field: own[key]
        for key, field in (("runAsUser", "run_as_user"), ("runAsGroup", "run_as_group"))
        if isinstance(scalar(own.get(key)), int)
    }
    return Container(
        name,
        image=image,
        command=_strings(spec.get("command")),
        args=_strings(spec.get("args")),
        ports=_ports(spec),
        env=_env(plan, spec),
        resources=container_resources(spec),
        security=Security(**ids) if ids else None,
        probes=None if init else container_probes(SIDECAR_PROFILE, spec),
        native_sidecar=native,
        image_pull_policy=pull_policy(spec),
    )


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _ports(spec: dict[str, Any]) -> list[Port | int]:
    found: list[Port | int] = []
    for p in items(spec.get("ports")):
        number = scalar(p.get("containerPort"))
        if not isinstance(number, int):
            continue
        name = p.get("name") if isinstance(p.get("name"), str) else None
        protocol = p.get("protocol", "TCP")
        found.append(
            number if name is None and protocol == "TCP" else Port(number, name, protocol=protocol)
        )
    return found


def _env(plan: Plan, spec: dict[str, Any]) -> dict[str, EnvValue]:
    """Plain values and Secret or ConfigMap references, up to the first entry
    that stays in the patch (a patch appends env entries, which keeps the
    order only for those after every typed one)."""
    found: dict[str, EnvValue] = {}
    for item in items(spec.get("env")):
        name, value = item.get("name"), item.get("value", "")
        if not isinstance(name, str):
            break
        ref = value_from(plan.cls, item) if "valueFrom" in item else None
        if ref is not None:
            found[ref[0]] = ref[1]
        elif (
            "valueFrom" not in item and isinstance(value, str) and not holds_credential(name, value)
        ):
            found[name] = value
        else:
            break
    return found


PULL_POLICIES = ("Always", "IfNotPresent", "Never")


def pull_policy(spec: dict[str, Any]) -> Any:
    """A container's ``imagePullPolicy``; tiers' ``Always`` when it sets none
    (where Kubernetes would choose ``IfNotPresent`` for a tag other than
    ``latest``: the node then asks the registry whether the tag moved)."""
    given = spec.get("imagePullPolicy")
    return given if given in PULL_POLICIES else "Always"


def image_pull_policy(plan: Plan, scope: Scope) -> Any:
    """The first container's ``imagePullPolicy``."""
    return pull_policy(plan.container)
