"""Group: each workload with the Services that select its pods, one group per
tier; a warning for every object that cannot join a tier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tiers.importer.read import Source

if TYPE_CHECKING:
    from tiers.model.app import Tier

WORKLOADS = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}
BATCH = frozenset({"Job", "CronJob"})
"""Workloads whose pods run to completion: no selector of their own, no Service."""
CONTROLLER_LABELS = frozenset(
    {"job-name", "controller-uid", "batch.kubernetes.io/job-name"}
    | {"batch.kubernetes.io/controller-uid"}
)
"""Pod labels the Job controller sets itself."""
SERVICE_API = "v1"
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer")


@dataclass
class Group:
    """One future tier: a workload and the Services that select its pods."""

    workload: Source
    services: list[Source] = field(default_factory=list)
    default_namespace: str | None = None
    accounts: list[Source] = field(default_factory=list)
    """Its ServiceAccount, then the Roles and bindings that grant it permissions."""
    budget: Source | None = None
    """Its PodDisruptionBudget, imported as ``disruption_budget=``."""
    budget_beside: Source | None = None
    """A PodDisruptionBudget of its pods kept beside the app (tiers then adds none)."""
    policy_selector: dict[str, str] | None = None
    """The pods its NetworkPolicy (as tiers writes it) selects: a Job's selector."""
    taken_back: dict[str, Any] | None = None
    """The pod spec without what tiers adds for the kind by itself
    (:mod:`tiers.importer.own`): what the tier is read from."""

    @property
    def namespace(self) -> str | None:
        """The workload's namespace; the app's when it names none."""
        return self.workload.namespace or self.default_namespace

    @property
    def pod_template(self) -> Any:
        """The pod template: ``spec.template``, a CronJob's under its
        ``jobTemplate``; its spec as :attr:`taken_back` where that is set."""
        if self.workload.kind == "CronJob":
            found = dig(self.workload.manifest, "spec", "jobTemplate", "spec", "template")
        else:
            found = dig(self.workload.manifest, "spec", "template")
        if self.taken_back is not None and isinstance(found, dict):
            return {**found, "spec": self.taken_back}
        return found

    @cached_property
    def pod_labels(self) -> dict[str, str]:
        return _labels(dig(self.pod_template, "metadata", "labels"))

    @property
    def selector(self) -> dict[str, str]:
        """The labels that select its pods. A Job has no selector of its own: the
        one its NetworkPolicy uses, else the pod labels its metadata lacks, else
        all of them."""
        if self.workload.kind not in BATCH:
            return _labels(dig(self.workload.manifest, "spec", "selector", "matchLabels"))
        if self.policy_selector is not None:
            return self.policy_selector
        pods = {k: v for k, v in self.pod_labels.items() if k not in CONTROLLER_LABELS}
        own = _labels(self.workload.metadata.get("labels"))
        added = {k: v for k, v in pods.items() if own.get(k) != v}
        return added or pods

    @property
    def containers(self) -> list[dict[str, Any]]:
        found = dig(self.pod_template, "spec", "containers")
        return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []

    @property
    def sources(self) -> list[Source]:
        """Every object the tier makes again: workload, Services, account and roles, budget."""
        budget = [self.budget] if self.budget is not None else []
        return [self.workload, *self.services, *self.accounts, *budget]


@dataclass
class Omission:
    """An object, or part of one, left out of the app, and why: a warning."""

    source: Source
    message: str
    whole: bool = True
    """The whole object was left out (not only some of its fields)."""

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def dig(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``, or ``None`` where a step is missing."""
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def items(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list (a list of ports, env vars, ...); none for anything else."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def scalar(value: Any) -> str | int | None:
    """A name or number as is; anything else (a list, a mapping) as ``None``."""
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _labels(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def group(
    sources: list[Source], namespace: str | None = None
) -> tuple[list[Group], list[Omission]]:
    """The tiers to make, in input order, and a warning per object left out.
    Objects that name no namespace are taken to be in ``namespace``. (The
    importer then takes back the warnings of the objects that
    :mod:`~tiers.importer.accounts` and :mod:`~tiers.importer.externals` read.)"""
    warnings = [
        Omission(s, f"left out fields the API server sets: {', '.join(s.dropped)}", whole=False)
        for s in sources
        if s.dropped
    ]
    unique = _unique(_well_named(sources, warnings), warnings)
    groups = _workloads(unique, warnings, namespace)
    pods = PodIndex(groups)
    for source in unique:
        if source.kind == "Service" and _is_importable_service(source, warnings):
            _attach(source, pods, warnings, source.namespace or namespace)
        elif source.kind not in WORKLOADS and source.kind != "Service":
            warnings.append(Omission(source, _other_kind(source)))
    for g in groups:
        _drop_unreachable_ports(g, warnings)
        _drop_conflicting_ports(g, warnings)
    order = {id(s): index for index, s in enumerate(sources)}
    return groups, sorted(warnings, key=lambda w: order.get(id(w.source), 0))


def _other_kind(source: Source) -> str:
    if not source.kind:
        return "not a Kubernetes object (no kind); not imported"
    return (
        f"tiers does not import {source.kind} objects; not imported. "
        "Keep it in its own file beside the YAML tiers writes"
    )


def _well_named(sources: list[Source], warnings: list[Omission]) -> list[Source]:
    result = []
    for source in sources:
        meta = source.metadata
        if all(isinstance(meta.get(k, ""), str) for k in ("name", "namespace")):
            result.append(source)
        else:
            message = "its metadata.name or metadata.namespace is not a string; not imported"
            warnings.append(Omission(source, message))
    return result


def _unique(sources: list[Source], warnings: list[Omission]) -> list[Source]:
    seen: set[tuple[str, str | None, str]] = set()
    result = []
    for source in sources:
        key = (source.kind, source.namespace, source.name)
        if source.kind and key in seen:
            warnings.append(Omission(source, "defined twice; this copy was not imported"))
            continue
        seen.add(key)
        result.append(source)
    return result


def _workloads(
    sources: list[Source], warnings: list[Omission], namespace: str | None
) -> list[Group]:
    groups = []
    for source in sources:
        if source.kind not in WORKLOADS:
            continue
        problem = _workload_problem(Group(source))
        if problem:
            warnings.append(Omission(source, f"{problem}; not imported"))
        else:
            groups.append(Group(source, default_namespace=namespace))
    pods = PodIndex(groups)
    kept = []
    for g in groups:
        others = [o for o in pods.selected(g.selector, g.namespace) if o is not g]
        if others:
            names = ", ".join(f"{o.workload.kind} '{o.workload.name}'" for o in others)
            message = f"its selector also matches the pods of {names}; not imported"
            warnings.append(Omission(g.workload, message))
        else:
            kept.append(g)
    return kept


def _workload_problem(g: Group) -> str | None:
    source = g.workload
    if source.manifest.get("apiVersion") != WORKLOADS[source.kind]:
        return f"apiVersion {source.manifest.get('apiVersion')!r} is not {WORKLOADS[source.kind]}"
    if not source.name:
        return "it has no metadata.name"
    if not g.containers or not all(isinstance(c.get("name"), str) for c in g.containers):
        return "its pod template has no named containers"
    image = g.containers[0].get("image")
    if not isinstance(image, str) or not image.strip():
        return "its first container has no image"
    if not g.selector and source.kind in BATCH:
        return "its pod template has no labels, which its NetworkPolicy would select"
    if not g.selector:
        return "it selects its pods without spec.selector.matchLabels, which tiers needs"
    if any(g.pod_labels.get(k) != v for k, v in g.selector.items()):
        return "its pod template's labels do not match its own selector"
    return None


def _selects(selector: dict[str, str], g: Group) -> bool:
    labels = g.pod_labels
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


class PodIndex:
    """Groups by the labels of their pods, so that finding the pods a selector
    matches looks only at the groups that carry its rarest label: linear in the
    number of workloads, not quadratic."""

    def __init__(self, groups: Iterable[Group]) -> None:
        self.groups = list(groups)
        self.by_label: dict[tuple[str | None, str, str], list[Group]] = defaultdict(list)
        for g in self.groups:
            for key, value in g.pod_labels.items():
                self.by_label[(g.namespace, key, value)].append(g)

    def selected(self, selector: dict[str, str], namespace: str | None) -> list[Group]:
        """The groups in ``namespace`` whose pods ``selector`` matches, in input order."""
        if not selector:
            return []
        postings = [self.by_label.get((namespace, k, v), []) for k, v in selector.items()]
        rarest = min(postings, key=len)
        return [g for g in rarest if _selects(selector, g)]


def _is_importable_service(source: Source, warnings: list[Omission]) -> bool:
    spec = source.manifest.get("spec")
    problem = None
    if source.manifest.get("apiVersion") != SERVICE_API:
        problem = f"apiVersion {source.manifest.get('apiVersion')!r} is not {SERVICE_API}"
    elif not isinstance(spec, dict) or spec.get("type", "ClusterIP") not in SERVICE_TYPES:
        kind = spec.get("type") if isinstance(spec, dict) else None
        problem = f"tiers does not make Services of type {kind}"
    elif not _labels(spec.get("selector")):
        problem = "it has no selector (its endpoints are managed elsewhere)"
    elif not spec.get("ports") and spec.get("clusterIP") != "None":
        problem = "it has no ports"
    elif not isinstance(spec.get("ports", []), list) or not all(
        _is_port(p) for p in spec.get("ports") or []
    ):
        problem = "a port of it has no number (spec.ports[].port)"
    if problem:
        warnings.append(Omission(source, f"{problem}; not imported"))
    return problem is None


def _attach(
    service: Source, pods: PodIndex, warnings: list[Omission], namespace: str | None
) -> None:
    selector = _labels(dig(service.manifest, "spec", "selector"))
    found = [g for g in pods.selected(selector, namespace) if g.workload.kind not in BATCH]
    if len(found) == 1:
        found[0].services.append(service)
        return
    if found:
        names = ", ".join(f"{g.workload.kind} '{g.workload.name}'" for g in found)
        message = f"its selector matches the pods of several workloads ({names})"
    else:
        message = "its selector matches the pods of no imported workload"
    warnings.append(Omission(service, f"{message}; not imported"))


def _drop_conflicting_ports(g: Group, warnings: list[Omission]) -> None:
    """A port name means one target port across a workload's Services."""
    meaning: dict[str, tuple[Any, str]] = {}
    kept = []
    for service in g.services:
        ports = items(dig(service.manifest, "spec", "ports"))
        clash = [
            str(p["name"])
            for p in ports
            if str(p.get("name")) in meaning and meaning[str(p["name"])][0] != _target(p)
        ]
        if clash:
            message = (
                f"its port '{clash[0]}' targets another container port than port '{clash[0]}' "
                f"of Service '{meaning[clash[0]][1]}', which selects the same pods; not imported"
            )
            warnings.append(Omission(service, message))
            continue
        kept.append(service)
        for p in ports:
            if isinstance(p.get("name"), str):
                meaning.setdefault(p["name"], (_target(p), service.name))
    g.services = kept


def _is_port(port: Any) -> bool:
    number = port.get("port") if isinstance(port, dict) else None
    return isinstance(number, int) and not isinstance(number, bool)


def _target(port: dict[str, Any]) -> Any:
    return scalar(port.get("targetPort", port.get("port")))


def _drop_unreachable_ports(g: Group, warnings: list[Omission]) -> None:
    """A Service must target a port some container of the pod names (by name)."""
    names = {scalar(p.get("name")) for c in g.containers for p in items(c.get("ports"))}
    native = [c for c in items(dig(g.pod_template, "spec", "initContainers"))]
    names |= {scalar(p.get("name")) for c in native for p in items(c.get("ports"))}
    kept = []
    for service in g.services:
        targets = [_target(p) for p in items(dig(service.manifest, "spec", "ports"))]
        lost = [t for t in targets if isinstance(t, str) and t not in names]
        if lost:
            message = (
                f"its targetPort {lost[0]!r} is not a named port of a container of the "
                f"pods; not imported"
            )
            warnings.append(Omission(service, message))
        else:
            kept.append(service)
    g.services = kept


@dataclass
class Plan:
    """One tier to write: its class and the arguments it is made with."""

    group: Group
    name: str
    cls: type[Tier]
    kwargs: dict[str, Any] = field(default_factory=dict)
    secret_args: dict[str, str] = field(default_factory=dict)
    """Env var → the credential of the command or args it now carries, as ``$(VAR)``."""
    left_out: list[str] = field(default_factory=list)
    """Annotations left out because they hold a credential."""
    unreached: bool = False
    """No reference or call of the input reaches its Services: open to every tier."""
    late_calls: list[Any] = field(default_factory=list)
    """Calls to tiers written after this one (a cycle): ``tier.calls += [...]`` at the end."""

    @property
    def container(self) -> dict[str, Any]:
        return self.group.containers[0]


@dataclass(frozen=True)
class Scope:
    """What every tier of the imported app shares."""

    app: str
    namespace: str
