"""The intermediate representation between resolve and render.

Plain data, with every name, label, port and env value resolved. It imports
nothing from pydantic, Jinja2, YAML or click, so any output (manifests, a
diagram, a kustomization) can be made from it.

The objects of one tier share its label and selector dicts (a Service's,
NetworkPolicy's or PodDisruptionBudget's ``meta.labels`` may be the workload's
very dict), so that a large app holds each once: replace such a dict, never
change it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiers.location import UNKNOWN, Location


@dataclass(slots=True)
class Meta:
    name: str
    namespace: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ContainerPort:
    number: int
    name: str | None
    protocol: str
    origin: str = ""


@dataclass(slots=True)
class KeyRef:
    """A key of a Secret or ConfigMap (``kind``) that an env var reads."""

    kind: str
    name: str
    key: str


@dataclass(slots=True)
class EnvVar:
    name: str
    value: str
    origin: str = ""
    value_from: KeyRef | None = None


@dataclass(slots=True)
class Resources:
    requests: dict[str, str]
    limits: dict[str, str]
    origin: str = "resources"


@dataclass(slots=True)
class Probe:
    """An HTTP GET of ``path`` on ``port``, or a TCP connect when ``path`` is None."""

    port: int | str
    path: str | None
    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int
    origin: str = ""


@dataclass(slots=True)
class ContainerSecurity:
    run_as_non_root: bool
    read_only_root_filesystem: bool
    allow_privilege_escalation: bool
    add_capabilities: list[str]
    run_as_user: int | None = None
    run_as_group: int | None = None


@dataclass(slots=True)
class PodSecurity:
    run_as_user: int
    run_as_group: int
    fs_group: int | None
    run_as_non_root: bool
    seccomp_profile: str
    sysctls: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class VolumeMount:
    name: str
    mount_path: str
    read_only: bool = False
    sub_path: str | None = None


@dataclass(slots=True)
class Volume:
    """A pod volume: an emptyDir (``secret`` and ``config_map`` None), a
    Secret's keys as files, or a ConfigMap."""

    name: str
    secret: str | None = None
    items: list[str] = field(default_factory=list)
    config_map: str | None = None


@dataclass(slots=True)
class VolumeClaim:
    name: str
    size: str
    storage_class: str | None


@dataclass(slots=True)
class Container:
    name: str
    image: str
    command: list[str] | None
    args: list[str] | None
    ports: list[ContainerPort]
    env: list[EnvVar]
    image_pull_policy: str = "Always"
    security: ContainerSecurity | None = None
    resources: Resources | None = None
    readiness: Probe | None = None
    liveness: Probe | None = None
    volume_mounts: list[VolumeMount] = field(default_factory=list)
    restart_policy: str | None = None
    """``Always`` for a native sidecar (an init container that keeps running)."""
    origin: str = ""
    """The user's field of a sidecar or init container (``sidecars[0]``); ``""``
    for the main one."""


@dataclass(slots=True)
class Workload:
    kind: str
    meta: Meta
    replicas: int | None  # None when a HorizontalPodAutoscaler owns it
    selector: dict[str, str]
    pod_labels: dict[str, str]
    containers: list[Container]
    pod_annotations: dict[str, str] = field(default_factory=dict)
    security: PodSecurity | None = None
    automount_service_account_token: bool = False
    enable_service_links: bool = False
    volumes: list[Volume] = field(default_factory=list)
    service_name: str | None = None
    volume_claims: list[VolumeClaim] = field(default_factory=list)
    topology_spread: list[TopologySpread] = field(default_factory=list)
    init_containers: list[Container] = field(default_factory=list)
    """Native sidecars first (``restart_policy="Always"``), then the init containers."""

    def pod_containers(self) -> list[Container]:
        """Every container of the pod: init containers first, then the others."""
        return [*self.init_containers, *self.containers]

    def serving_containers(self) -> list[Container]:
        """The containers that keep running, whose ports a Service can target:
        native sidecars and the regular containers."""
        native = [c for c in self.init_containers if c.restart_policy == "Always"]
        return [*native, *self.containers]


@dataclass(slots=True)
class ServicePort:
    name: str | None
    port: int
    target_port: int | str
    protocol: str
    node_port: int | None = None
    origin: str = ""


@dataclass(slots=True)
class Service:
    meta: Meta
    type: str
    headless: bool
    selector: dict[str, str]
    ports: list[ServicePort]
    origin: str = ""


@dataclass(slots=True)
class Edge:
    """A reference from one tier to another's Service: the wiring graph."""

    source: str
    target: str
    env: str
    service: str
    namespace: str
    port: int | None
    protocol: str
    external: bool = False


@dataclass(slots=True)
class PolicyPeer:
    """Pods (``pod_selector``) in namespaces (``namespace_selector``); None: any."""

    pod_selector: dict[str, str] | None
    namespace_selector: dict[str, str] | None = None


@dataclass(slots=True)
class PolicyPort:
    port: int
    protocol: str


@dataclass(slots=True)
class PolicyRule:
    """Traffic to or from ``peers`` (empty: anywhere) on ``ports``."""

    peers: list[PolicyPeer]
    ports: list[PolicyPort]


@dataclass(slots=True)
class NetworkPolicy:
    meta: Meta
    pod_selector: dict[str, str]
    ingress: list[PolicyRule]
    egress: list[PolicyRule]


@dataclass(slots=True)
class Secret:
    """A Secret tiers emits: only ever for values marked as development secrets."""

    meta: Meta
    string_data: dict[str, str]


@dataclass(slots=True)
class Namespace:
    meta: Meta


@dataclass(slots=True)
class Patch:
    """A strategic-merge patch for the tier's object of ``kind`` (named ``name``)."""

    kind: str
    name: str | None
    patch: dict[str, Any]
    origin: str = ""


@dataclass(slots=True)
class Tier:
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


@dataclass(slots=True)
class App:
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


def field_path(origin: str, attr: str) -> str:
    """The user's field for ``attr`` of an element that came from ``origin``."""
    return f"{origin}.{attr}" if origin else attr


@dataclass(slots=True)
class TopologySpread:
    """One ``topologySpreadConstraints`` entry, selecting the tier's own pods."""

    topology_key: str
    max_skew: int
    when_unsatisfiable: str
    selector: dict[str, str]


@dataclass(slots=True)
class ConfigMap:
    meta: Meta
    data: dict[str, str]
    users: list[str] = field(default_factory=list)
    """The tiers that mount it or read a key of it."""
    location: Location = UNKNOWN


@dataclass(slots=True)
class Autoscaler:
    """A HorizontalPodAutoscaler (autoscaling/v2) scaling the tier's workload."""

    meta: Meta
    target_kind: str
    target_name: str
    min_replicas: int
    max_replicas: int
    cpu: int | None
    memory: int | None


@dataclass(slots=True)
class DisruptionBudget:
    """A PodDisruptionBudget (policy/v1); exactly one of the two bounds is set."""

    meta: Meta
    selector: dict[str, str]
    max_unavailable: int | str | None
    min_available: int | str | None
    unhealthy_pod_eviction_policy: str = "AlwaysAllow"


@dataclass(slots=True)
class IngressBackend:
    """Where one Ingress path leads: a tier's Service port, and the container port
    behind it (``target_port``, a number) that a NetworkPolicy has to open."""

    tier: str
    namespace: str
    service: str
    service_port: int
    service_port_name: str | None
    target_port: int | None
    selector: dict[str, str]


@dataclass(slots=True)
class IngressPath:
    path: str
    path_type: str
    backend: IngressBackend
    origin: str = ""


@dataclass(slots=True)
class IngressRule:
    host: str | None
    paths: list[IngressPath]
    origin: str = ""


@dataclass(slots=True)
class Ingress:
    meta: Meta
    ingress_class: str | None
    tls_secret: str | None
    rules: list[IngressRule]
    tier: str | None = None
    """The tier that declared it (``Tier(ingress=...)``), ``None`` for ``app.add(Ingress(...))``."""
    origin: str = ""
    location: Location = UNKNOWN

    @property
    def tls_hosts(self) -> list[str]:
        """The hosts the TLS secret covers: every rule's host, in order, once."""
        return list(dict.fromkeys(r.host for r in self.rules if r.host))

    def backends(self) -> list[IngressBackend]:
        return [p.backend for r in self.rules for p in r.paths]


@dataclass(slots=True)
class GatewayParent:
    name: str
    namespace: str | None
    section_name: str | None


@dataclass(slots=True)
class HTTPRoute:
    """A Gateway API HTTPRoute; ``paths`` use Gateway path types (``PathPrefix``, ``Exact``)."""

    meta: Meta
    parents: list[GatewayParent]
    hostnames: list[str]
    paths: list[IngressPath]
    tier: str | None = None
    origin: str = ""
    location: Location = UNKNOWN

    def backends(self) -> list[IngressBackend]:
        return [p.backend for p in self.paths]

    def rules(self) -> list[list[IngressPath]]:
        """The paths grouped by backend (one rule each), in order of first use."""
        groups: dict[tuple[str, int], list[IngressPath]] = {}
        for path in self.paths:
            key = (path.backend.service, path.backend.service_port)
            groups.setdefault(key, []).append(path)
        return list(groups.values())


@dataclass(slots=True)
class IngressController:
    """Where the ingress controller's pods (or a Gateway's proxies) run, so that
    NetworkPolicies can admit them.

    Defaults fit ingress-nginx: namespace ``ingress-nginx``, pod labels
    ``app.kubernetes.io/name: ingress-nginx``, class ``nginx``.
    """

    namespace: str = "ingress-nginx"
    pod_labels: dict[str, str] = field(
        default_factory=lambda: {"app.kubernetes.io/name": "ingress-nginx"}
    )
    ingress_class: str | None = "nginx"
