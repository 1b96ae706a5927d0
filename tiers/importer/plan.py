"""Plan: a group of objects into the arguments of one tier.

Two tables drive it. :data:`KIND_RULES` picks the tier's class; a rule names
something the objects say outright (an image, a label), never a guess from a
name. :data:`TIER_FIELDS` maps the objects' fields onto the tier's fields, one
function per field: to import a new model field, add a row. What no row maps
is kept later by a :class:`~tiers.model.app.Patch` (see :mod:`tiers.importer`).
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Callable
from typing import Any

from tiers.importer import containers, hardening
from tiers.importer.accounts import service_account
from tiers.importer.budgets import disruption_budget
from tiers.importer.group import BATCH, Group, Plan, Scope, dig, items, scalar
from tiers.importer.labels import (
    COMPONENT,
    MANAGED,
    NAME,
    PART_OF,
    all_labels,
    generated_labels,
    leftover,
)
from tiers.importer.rollout import without_generated
from tiers.importer.secrets import (
    holds_credential,
    literal,
    redacted,
    secret_name,
    value_from,
)
from tiers.importer.services import service_fields, service_ports
from tiers.importer.stateful import stateful, storage
from tiers.importer.workloads import KIND_FIELDS, kind_class, refused
from tiers.model import app as model
from tiers.model.app import Port, Tier
from tiers.model.images import kind_for_image
from tiers.model.kinds import Backend, Frontend, MySQL
from tiers.model.secrets import SecretKeyRef
from tiers.model.servers import MariaDB, Memcached, MongoDB, Postgres, RabbitMQ, Redis
from tiers.resolve.core import MANAGED_BY

MYSQL_REPOSITORIES = frozenset(
    ["mysql", "library/mysql", "docker.io/mysql", "docker.io/library/mysql"]
)
SERVERS: tuple[type[Tier], ...] = (Postgres, Redis, MariaDB, MongoDB, RabbitMQ, Memcached)


def repository(image: str) -> str:
    """The image without its tag or digest: ``docker.io/library/mysql``."""
    image = image.split("@", 1)[0]
    head, sep, tail = image.rpartition(":")
    return head if sep and "/" not in tail else image


def _is_official_mysql(g: Group) -> bool:
    container = g.containers[0]
    image = str(container.get("image", ""))
    official = repository(image) in MYSQL_REPOSITORIES and 3306 in _numbers(container)
    return official and _has_credentials(container, MySQL)


def _has_credentials(container: dict[str, Any], cls: type[Tier]) -> bool:
    """The container sets every credential the kind requires (or its ``*_FILE``):
    a MySQL without a root password would not start, and stays a general Tier."""
    names = {e.get("name") for e in items(container.get("env")) if isinstance(e.get("name"), str)}
    return all(
        any(n in names or f"{n}_FILE" in names for n in credential.names)
        for credential in cls.profile.credentials
    )


def _component(cls: type[Tier]) -> Callable[[Group], bool]:
    return lambda g: all_labels(g).get(COMPONENT) == cls.default_component and _profiled(g, cls)


def _profiled(g: Group, cls: type[Tier]) -> bool:
    """True unless tiers made the workload with another kind's probes: a general
    tier named ``backend`` has the component label ``backend`` too, but TCP probes."""
    if all_labels(g).get(MANAGED) != MANAGED_BY:
        return True
    path = dig(g.containers[0], "readinessProbe", "httpGet", "path")
    return cls.profile.probe == "http" and path == cls.profile.probe_path


def _kind_port(cls: type[Tier]) -> int | None:
    """The number of the kind's first default port."""
    for f in dataclasses.fields(cls):
        if f.name == "ports" and f.default_factory is not dataclasses.MISSING:
            ports = f.default_factory()
            first = ports[0] if ports else None
            return first if isinstance(first, int) else getattr(first, "number", None)
    return None


def _server(cls: type[Tier]) -> Callable[[Group], bool]:
    """The kind's official image (:func:`~tiers.model.images.kind_for_image`),
    listening on the kind's port, with the credentials the kind requires."""

    def holds(g: Group) -> bool:
        container = g.containers[0]
        image = str(container.get("image", ""))
        number = _kind_port(cls)
        return (
            kind_for_image(image) is cls
            and number in _numbers(container)
            and _has_credentials(container, cls)
        )

    return holds


KIND_RULES: tuple[tuple[type[Tier], Callable[[Group], bool]], ...] = (
    (MySQL, _is_official_mysql),
    *((cls, _server(cls)) for cls in SERVERS),
    (Frontend, _component(Frontend)),
    (Backend, _component(Backend)),
)
"""The first rule that holds picks the class; otherwise :class:`Tier`.

MySQL: the official ``mysql`` image (any tag) whose container listens on 3306
and sets a root password (``MYSQL_ROOT_PASSWORD``, ``MYSQL_RANDOM_ROOT_PASSWORD``
or their ``*_FILE``), without which the image does not start. Postgres, Redis,
MariaDB, MongoDB, RabbitMQ, Memcached: the official image
(:func:`~tiers.model.images.kind_for_image`) on the kind's port, with the
credentials the kind requires.
Frontend / Backend: the workload says so with the recommended label
``app.kubernetes.io/component: frontend`` (or ``backend``), as tiers writes it;
in tiers' own output, only with the kind's HTTP readiness probe (a general
tier named ``backend`` is labelled ``backend`` too). A name such as
``frontend`` alone decides nothing."""


def tier_class(g: Group) -> type[Tier]:
    """The class of a Job, CronJob or DaemonSet; for others, the one
    :data:`KIND_RULES` picks for ``g``."""
    found = kind_class(g.workload.kind)
    return found or next((cls for cls, holds in KIND_RULES if holds(g)), Tier)


def tier_name(g: Group) -> str:
    """The tier's name: the ``app.kubernetes.io/name`` label when tiers made the
    objects, otherwise the workload's name."""
    labels = all_labels(g)
    if labels.get(MANAGED) == MANAGED_BY and labels.get(NAME):
        return labels[NAME]
    return g.workload.name


def app_name(groups: list[Group]) -> str | None:
    """The app tiers made the objects for (``app.kubernetes.io/part-of``), if any."""
    names = {all_labels(g).get(PART_OF) for g in groups if all_labels(g).get(MANAGED)}
    return names.pop() if len(names) == 1 and None not in names else None


def _numbers(container: dict[str, Any]) -> list[int]:
    return [p["containerPort"] for p in _ports(container)]


def _ports(container: dict[str, Any]) -> list[dict[str, Any]]:
    found = items(container.get("ports"))
    return [p for p in found if isinstance(scalar(p.get("containerPort")), int)]


# One function per tier field: what the objects say about it, or KEEP_DEFAULT.

KEEP_DEFAULT: Any = object()


def _image(plan: Plan, scope: Scope) -> Any:
    return str(plan.container.get("image", ""))


def _command(plan: Plan, scope: Scope) -> Any:
    return redacted(plan.container, _strings(plan.container.get("command")), plan.secret_args)


def _args(plan: Plan, scope: Scope) -> Any:
    return redacted(plan.container, _strings(plan.container.get("args")), plan.secret_args)


def _strings(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _replicas(plan: Plan, scope: Scope) -> Any:
    replicas = dig(plan.group.workload.manifest, "spec", "replicas")
    return replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1


def _container_ports(plan: Plan, scope: Scope) -> Any:
    result: list[Port | int] = []
    for p in _ports(plan.container):
        protocol = p.get("protocol", "TCP")
        name = p.get("name") if isinstance(p.get("name"), str) else None
        if name is None and protocol == "TCP":
            result.append(p["containerPort"])
        else:
            result.append(Port(p["containerPort"], name, protocol=protocol))
    declared = set(_numbers(plan.container))
    for service in plan.group.services:
        for p in service_ports(service.manifest):
            target = p.get("targetPort", p.get("port"))
            if isinstance(target, int) and target not in declared:
                declared.add(target)
                result.append(target)
    return result


def _env(plan: Plan, scope: Scope) -> Any:
    """Literal env values (credentials kept out of Git, see
    :mod:`tiers.importer.secrets`) and Secret or ConfigMap references; those
    after the first other ``valueFrom`` only when no value refers to another
    with ``$(NAME)``, since a patch appends them."""
    env = [e for e in items(plan.container.get("env")) if isinstance(e.get("name"), str)]
    ordered = any("$(" in str(e.get("value", "")) for e in env)
    result: dict[str, Any] = {}
    for item in env:
        ref = value_from(plan.cls, item)
        if ref is not None:
            result[ref[0]] = ref[1]
        elif "valueFrom" in item or not isinstance(item.get("value", ""), str):
            if ordered:
                break
        else:
            name = str(item["name"])
            result[name] = literal(plan.name, name, item.get("value", ""))
    for name in plan.secret_args:
        result[name] = SecretKeyRef(secret_name(plan.name), name)
    return result


def _workload_name(plan: Plan, scope: Scope) -> Any:
    name = plan.group.workload.name
    return name if name != plan.name else None


def _container_name(plan: Plan, scope: Scope) -> Any:
    name = plan.container.get("name")
    return name if name != plan.name else None


def _namespace(plan: Plan, scope: Scope) -> Any:
    namespace = plan.group.namespace
    return namespace if namespace not in (None, scope.namespace) else None


def _selector(plan: Plan, scope: Scope) -> Any:
    default = {NAME: plan.name, "app.kubernetes.io/instance": scope.app}
    found = plan.group.selector
    guessed = plan.group.workload.kind in BATCH and plan.group.policy_selector is None
    if guessed and default.items() <= found.items():
        return None  # a Job's pods carry every label of the tier: the default selects them
    return found if found != default else None


def _component_field(plan: Plan, scope: Scope) -> Any:
    component = all_labels(plan.group).get(COMPONENT)
    default = plan.cls.default_component or plan.name
    return component if component not in (None, default) else None


def _labels_field(plan: Plan, scope: Scope) -> Any:
    return leftover(plan.group.workload.metadata.get("labels"), generated_labels(plan, scope))


def _annotations(plan: Plan, scope: Scope) -> Any:
    found = leftover(plan.group.workload.metadata.get("annotations"), {})
    found = without_generated(plan, found)  # the rollout's: see tiers.importer.rollout
    plan.left_out = [k for k, v in found.items() if holds_credential(k, v)]
    return {k: v for k, v in found.items() if k not in plan.left_out}


def _grace_period(plan: Plan, scope: Scope) -> Any:
    """The pods' grace period, when Kubernetes accepts it (else a patch keeps it)."""
    found = dig(plan.group.pod_template, "spec", "terminationGracePeriodSeconds")
    valid = isinstance(found, int) and not isinstance(found, bool) and 0 <= found < 2**63
    return found if valid else None


TIER_FIELDS: tuple[tuple[str, Callable[[Plan, Scope], Any]], ...] = (
    ("image", _image),
    ("image_pull_policy", containers.image_pull_policy),
    ("command", _command),
    ("args", _args),
    ("replicas", _replicas),
    ("ports", _container_ports),
    ("workload_name", _workload_name),
    ("container_name", _container_name),
    ("namespace", _namespace),
    ("selector", _selector),
    ("component", _component_field),
    ("labels", _labels_field),
    ("annotations", _annotations),
    ("env", _env),
    ("stateful", stateful),
    ("storage", storage),
    ("resources", hardening.resources),
    ("security", hardening.security),
    ("probes", hardening.probes),
    ("termination_grace_period_seconds", _grace_period),
    ("disruption_budget", disruption_budget),
    ("sidecars", containers.sidecars),
    ("init_containers", containers.init_containers),
)
"""Tier field → how to read it from the group. ``component`` comes before
``labels``, which leave out the labels tiers writes itself. The Services are
mapped by :func:`service_fields`; the fields of Jobs, CronJobs and DaemonSets
by :data:`~tiers.importer.workloads.KIND_FIELDS`; the ServiceAccount by
:func:`~tiers.importer.accounts.service_account`."""


def plan_tier(g: Group, scope: Scope, name: str) -> Plan:
    """The class and arguments of tier ``name`` for ``g``, its Services
    included; references are left to :mod:`tiers.importer.references`."""
    plan = Plan(g, name, tier_class(g))
    skipped = refused(plan.cls)
    for name, read in (*TIER_FIELDS, *KIND_FIELDS.get(plan.cls, ())):
        if name not in skipped:
            plan.kwargs[name] = read(plan, scope)
    plan.kwargs.update(service_fields(plan, scope))
    generated = {**generated_labels(plan, scope), **plan.kwargs["labels"]}
    account = service_account(plan, scope, generated)
    if account is not None:
        plan.kwargs["service_account"] = account
    return plan


_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")
RESERVED = frozenset(["app", "tiers"])


def variable(name: str, taken: set[str]) -> str:
    """A Python variable for tier ``name``: snake case, unique, not a keyword."""
    base = _IDENTIFIER.sub("_", name).strip("_").lower() or "tier"
    if base[0].isdigit() or keyword.iskeyword(base) or base in RESERVED:
        base = f"{base}_tier" if not base[0].isdigit() else f"tier_{base}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def instantiate(plan: Plan, env: dict[str, model.EnvValue] | None = None) -> Tier:
    """The tier itself, made with the plan's arguments (``env`` replacing its own)."""
    kwargs = dict(plan.kwargs)
    if env is not None:
        kwargs["env"] = env
    return plan.cls(plan.name, **kwargs)
