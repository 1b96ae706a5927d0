"""The resolved app and its tiers, with everything else a tier owns:
Secrets, ConfigMaps, patches, autoscalers, budgets, accounts and roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiers.ir.base import Meta, _Record
from tiers.ir.network import (
    Edge,
    ExternalService,
    HTTPRoute,
    Ingress,
    IngressBackend,
    IngressController,
    NetworkPolicy,
    OutsideRule,
    PolicyPort,
    Service,
)
from tiers.ir.pods import Workload
from tiers.location import UNKNOWN, Location


@dataclass(slots=True, repr=False, eq=False)
class Secret(_Record):
    """A Secret tiers emits: only ever for values marked as development secrets."""

    meta: Meta
    string_data: dict[str, str]


@dataclass(slots=True, repr=False, eq=False)
class Namespace(_Record):
    """A Namespace the app emits, labelled with its Pod Security level."""

    meta: Meta


@dataclass(slots=True, repr=False, eq=False)
class Patch(_Record):
    """A strategic-merge patch for the tier's object of ``kind`` (named ``name``)."""

    kind: str
    name: str | None
    patch: dict[str, Any]
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class Tier(_Record):
    """A tier, resolved: its workload, Services and every object it owns."""

    name: str
    kind: str
    namespace: str
    workload: Workload
    services: list[Service]
    location: Location = UNKNOWN
    patches: list[Patch] = field(default_factory=list)
    config_maps: list[ConfigMap] = field(default_factory=list)
    """The ConfigMaps only this tier uses; shared ones are in :attr:`App.config_maps`."""
    autoscaler: Autoscaler | None = None
    disruption_budget: DisruptionBudget | None = None
    ingresses: list[Ingress] = field(default_factory=list)
    """The Ingresses declared on this tier (``Tier(ingress=...)``)."""
    routes: list[HTTPRoute] = field(default_factory=list)
    """The HTTPRoutes declared on this tier (``Tier(route=...)``)."""
    extra_objects: list[dict[str, Any]] = field(default_factory=list)
    """Objects rendered from the tier's own templates (``extra_templates``)."""
    secrets: list[Secret] = field(default_factory=list)
    network_policies: list[NetworkPolicy] = field(default_factory=list)
    peers: list[PolicyPort] = field(default_factory=list)
    """The container ports the tier's pods open to each other."""
    outside: list[OutsideRule] = field(default_factory=list)
    """Connections to and from outside the app (``ingress_from``, ``egress_to``)."""
    service_account: ServiceAccount | None = None
    roles: list[Role] = field(default_factory=list)
    """The Role and ClusterRole of the tier's ServiceAccount, each with its binding."""
    rollout: Rollout | None = None
    """Where the tier comes in a GitOps sync; ``None``: wave 0, no hook."""


@dataclass(slots=True, repr=False, eq=False)
class App(_Record):
    """The app, resolved: its tiers in dependency order and the edges between them."""

    name: str
    namespace: str
    cluster_domain: str
    tiers: list[Tier]
    edges: list[Edge]
    location: Location = UNKNOWN
    config_maps: list[ConfigMap] = field(default_factory=list)
    """ConfigMaps used by several tiers: emitted once, app-wide."""
    ingresses: list[Ingress] = field(default_factory=list)
    """Every Ingress of the app, the tiers' own included; see :meth:`ingress_backends`."""
    routes: list[HTTPRoute] = field(default_factory=list)
    """Every HTTPRoute of the app, the tiers' own included."""
    ingress_controller: IngressController = field(default_factory=lambda: IngressController())
    extra_objects: list[dict[str, Any]] = field(default_factory=list)
    """Objects rendered from the app's own templates (``App(extra_templates=...)``)."""

    def ingress_backends(self) -> list[IngressBackend]:
        """Every (tier, Service port, container port) an Ingress or HTTPRoute routes
        to, once each, in order: what a NetworkPolicy must open to
        :attr:`ingress_controller`."""
        seen: dict[tuple[str, str, int], IngressBackend] = {}
        backends = [b for i in self.ingresses for b in i.backends()]
        backends += [b for r in self.routes for b in r.backends()]
        for backend in backends:
            seen.setdefault((backend.tier, backend.service, backend.service_port), backend)
        return list(seen.values())

    namespaces: list[Namespace] = field(default_factory=list)
    externals: list[ExternalService] = field(default_factory=list)
    rendered: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    """Tier name → its workload as the checks of emitted objects rendered it
    (``marshal``), taken once by render instead of rendering it again; not
    part of what the app is."""
    """The app's external Services, those it emits (ExternalName, addresses) and
    those managed elsewhere."""


@dataclass(slots=True, repr=False, eq=False)
class ConfigMap(_Record):
    """A ConfigMap and the tiers that use it."""

    meta: Meta
    data: dict[str, str]
    users: list[str] = field(default_factory=list)
    """The tiers that mount it or read a key of it."""
    location: Location = UNKNOWN


@dataclass(slots=True, repr=False, eq=False)
class Autoscaler(_Record):
    """A HorizontalPodAutoscaler (autoscaling/v2) scaling the tier's workload."""

    meta: Meta
    target_kind: str
    target_name: str
    min_replicas: int
    max_replicas: int
    cpu: int | None
    memory: int | None


@dataclass(slots=True, repr=False, eq=False)
class DisruptionBudget(_Record):
    """A PodDisruptionBudget (policy/v1); exactly one of the two bounds is set."""

    meta: Meta
    selector: dict[str, str]
    max_unavailable: int | str | None
    min_available: int | str | None
    unhealthy_pod_eviction_policy: str = "AlwaysAllow"


@dataclass(slots=True, repr=False, eq=False)
class ServiceAccount(_Record):
    """A tier's own ServiceAccount."""

    meta: Meta


@dataclass(slots=True, repr=False, eq=False)
class RbacRule(_Record):
    """One rule of a Role: verbs on resources of API groups (optionally by name)."""

    api_groups: list[str]
    resources: list[str]
    verbs: list[str]
    resource_names: list[str]
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class Role(_Record):
    """A Role (``kind``; or a ClusterRole, whose meta's namespace is its
    binding's subject's) and its binding, of the same name, to ``account``."""

    kind: str
    meta: Meta
    rules: list[RbacRule]
    account: str
    account_namespace: str


@dataclass(slots=True, repr=False, eq=False)
class Rollout(_Record):
    """A tier's place in a GitOps sync: its Argo CD sync wave, and whether its
    Job is a sync hook (it runs before other tiers)."""

    wave: int
    hook: bool = False
    before: list[str] = field(default_factory=list)
    """The tiers its Job runs before (``Job(before=[...])``), by name."""
