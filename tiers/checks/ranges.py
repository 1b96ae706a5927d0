"""Integer fields in the ranges Kubernetes accepts.

Every integer a tier carries ends up in an ``int32`` field of some object
(``replicas``, probe timings, autoscaler bounds) or in a user or group id
(which Kubernetes caps at 2,147,483,647 too); the API server rejects
anything beyond, and a few fields have a floor. :data:`RANGES` lists the
fields with a range of their own; every other integer field of a model
object must fit in an ``int32``. Ports, replicas, autoscaler bounds and
spread skew have checks of their own for their floors (``ports``,
``workloads``, ``availability``); here only what those leave out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic
from tiers.model.app import Tier
from tiers.model.base import field_names

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
ID_MAX = INT32_MAX

RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("Security", "run_as_user"): (0, ID_MAX),
    ("Security", "run_as_group"): (0, ID_MAX),
    ("Security", "fs_group"): (0, ID_MAX),
    ("Probe", "initial_delay_seconds"): (0, INT32_MAX),
    ("Probe", "period_seconds"): (1, INT32_MAX),
    ("Probe", "timeout_seconds"): (1, INT32_MAX),
    ("Probe", "failure_threshold"): (1, INT32_MAX),
    ("DisruptionBudget", "max_unavailable"): (0, INT32_MAX),
    ("DisruptionBudget", "min_available"): (0, INT32_MAX),
    ("Tier", "termination_grace_period_seconds"): (0, 2**63 - 1),
}
"""(class, field) → the least and greatest value Kubernetes accepts; a row for
a class holds for its subclasses (``Tier``'s for ``MySQL``, ``Job``, ...)."""

CHECKED_ELSEWHERE = frozenset(
    {("Port", "number"), ("ServicePort", "port"), ("ServicePort", "target_port")}
    | {("ServicePort", "node_port"), ("Tier", "port"), ("Tier", "target_port")}
    | {("Probe", "port"), ("ExternalService", "ports")}
)
"""Port numbers: 1-65535 is checked by the checks of ports and Services."""

LOWER_BOUND_ELSEWHERE = frozenset(
    {("Tier", "replicas"), ("Autoscale", "min_replicas"), ("Autoscale", "max_replicas")}
    | {("Autoscale", "cpu"), ("Autoscale", "memory"), ("TopologySpread", "max_skew")}
)
"""Fields whose floor another check reports; only the int32 ceiling is checked here."""

SKIPPED_FIELDS = frozenset({"target"})
"""Fields that point at another tier: that tier is checked as itself."""


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

PORT_FIELDS = frozenset({"containerPort", "hostPort", "port", "targetPort", "nodePort"})
"""Integer fields of emitted objects that hold a port number: 1-65535
(``hostPort`` 0 means none)."""

NON_NEGATIVE_INT32 = frozenset(
    {"replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"}
    | {"initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold"}
    | {"failureThreshold", "minReplicas", "maxReplicas", "averageUtilization", "maxSkew"}
    | {"parallelism", "completions", "backoffLimit", "defaultMode", "mode", "weight"}
    | {"maxUnavailable", "maxSurge", "minAvailable", "partition", "endPort"}
    | {"backoffLimitPerIndex", "maxFailedIndexes", "failedJobsHistoryLimit"}
    | {"successfulJobsHistoryLimit", "ttlSecondsAfterFinished", "minDomains"}
    | {"stabilizationWindowSeconds", "healthCheckNodePort", "lun", "minCount"}
    | {"maxExpirationSeconds", "number", "succeededCount"}
)
"""Integer fields of emitted objects that Kubernetes keeps in an ``int32``
and never accepts negative."""

INT32_FIELDS = frozenset({"priority", "value", "values", "exitCode", "signal", "start"})
"""Other ``int32`` fields of the kinds tiers emits (any sign the type holds).
With :data:`NON_NEGATIVE_INT32` and :data:`PORT_FIELDS`, every ``int32`` field
of their schemas (``tests/test_hostile_values.py`` holds the lists to it)."""

FIELD_RANGES: dict[str, tuple[int, int]] = {
    "runAsUser": (0, ID_MAX),
    "runAsGroup": (0, ID_MAX),
    "fsGroup": (0, ID_MAX),
    "supplementalGroups": (0, ID_MAX),
    "terminationGracePeriodSeconds": (0, INT64_MAX),
    "activeDeadlineSeconds": (1, INT64_MAX),
    "startingDeadlineSeconds": (0, INT64_MAX),
    "expirationSeconds": (600, 2**32),
    "tolerationSeconds": (INT64_MIN, INT64_MAX),
}
"""``int64`` fields of emitted objects with a narrower range: user and group
ids (Kubernetes caps them at 2,147,483,647), and durations that cannot be
negative. Every other integer field must fit in an ``int64``."""


def field_range(key: str) -> tuple[int, int]:
    """The least and greatest value Kubernetes accepts in the integer field
    ``key`` of an emitted object (a built-in kind's)."""
    if key in PORT_FIELDS:
        return (0 if key == "hostPort" else 1), 65535
    if key in NON_NEGATIVE_INT32:
        return 0, INT32_MAX
    if key in INT32_FIELDS:
        return INT32_MIN, INT32_MAX
    return FIELD_RANGES.get(key, (INT64_MIN, INT64_MAX))


def field_range_problem(key: str, value: Any) -> str:
    """What is wrong with ``value`` in the field ``key`` (``""``: nothing, or
    not an integer)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    low, high = field_range(key)
    if low <= value <= high:
        return ""
    if key in PORT_FIELDS:
        return f"{value} is not a port number: use 1-65535"
    return f"{value} is out of range: Kubernetes accepts {low:,} to {high:,} here"


def check_integer_ranges(context: Context) -> Iterator[Diagnostic]:
    """Every integer field of every tier is within Kubernetes' range."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for path, problem in _out_of_ranges(written, "", {id(written)}):
            yield context.error("integer-range", problem, tier, path)


INT32_RANGE = (INT32_MIN, INT32_MAX)


def _out_of_range(classes: tuple[str, ...], name: str, value: int) -> str:
    """What is wrong with ``value`` in field ``name`` of an object of the
    ``classes`` (its class first, then those it derives from)."""
    owner = classes[0]
    if (owner, name) in CHECKED_ELSEWHERE:
        return ""
    low, high = next((RANGES[(c, name)] for c in classes if (c, name) in RANGES), INT32_RANGE)
    if (owner, name) in LOWER_BOUND_ELSEWHERE:
        low = INT32_MIN
    if low <= value <= high:
        return ""
    if value > high:
        return f"{value} is more than Kubernetes accepts here: use at most {high:,}"
    return f"{value} is less than Kubernetes accepts here: use at least {low}"


def _out_of_ranges(obj: Any, prefix: str, seen: set[int]) -> Iterator[tuple[str, str]]:
    """(path, problem) for each integer field of ``obj`` and of the model
    objects it holds (in fields, lists and dict values, once each) that is out
    of its range."""
    classes = tuple(c.__name__ for c in type(obj).__mro__)
    for name in field_names(obj) or ():
        if name in SKIPPED_FIELDS:
            continue
        value = getattr(obj, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            problem = _out_of_range(classes, name, value)
            if problem:
                yield f"{prefix}{name}", problem
        elif not _leaf(value):
            yield from _inside(value, f"{prefix}{name}", seen)


def _leaf(value: Any) -> bool:
    """A value that holds no model object: ``None``, a string, a boolean."""
    kind = type(value)
    return value is None or kind is str or kind is bool


def _inside(value: Any, path: str, seen: set[int]) -> Iterator[tuple[str, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not _leaf(item):
                yield from _inside(item, f"{path}[{index}]", seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _leaf(item):
                yield from _inside(item, f"{path}.{key}", seen)
    elif _is_model(value) and id(value) not in seen:
        seen.add(id(value))
        yield from _out_of_ranges(value, f"{path}.", seen)


def _is_model(value: Any) -> bool:
    return field_names(value) is not None and not isinstance(value, Tier)
