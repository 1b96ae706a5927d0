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

from dataclasses import dataclass, field, fields
from typing import Any

from tiers.location import UNKNOWN, Location


class _Record:
    """Equality and ``repr`` of the IR's dataclasses, written once: a dataclass
    would generate and compile both for each class at import, which costs more
    than a small app's whole build. Equal when of one type with equal fields;
    unhashable, as a mutable dataclass is."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name)
            for f in fields(self)  # type: ignore[arg-type]
            if f.compare
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)  # type: ignore[arg-type]
            if f.repr
        )
        return f"{type(self).__qualname__}({shown})"


@dataclass(slots=True, repr=False, eq=False)
class Meta(_Record):
    """An object's ``metadata``: name, namespace, labels and annotations."""

    name: str
    namespace: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, repr=False, eq=False)
class ContainerPort(_Record):
    """A container port; ``origin``: the user's field of the sidecar that has it."""

    number: int
    name: str | None
    protocol: str
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class KeyRef(_Record):
    """A key of a Secret or ConfigMap (``kind``) that an env var reads."""

    kind: str
    name: str
    key: str


@dataclass(slots=True, repr=False, eq=False)
class EnvVar(_Record):
    """An env var of a container: a literal ``value`` or a ``value_from`` key."""

    name: str
    value: str
    origin: str = ""
    value_from: KeyRef | None = None


@dataclass(slots=True, repr=False, eq=False)
class Resources(_Record):
    """A container's CPU and memory requests and limits."""

    requests: dict[str, str]
    limits: dict[str, str]
    origin: str = "resources"


@dataclass(slots=True, repr=False, eq=False)
class Probe(_Record):
    """A probe's handler and timings: ``command`` (exec) when given, else a
    gRPC health check when ``grpc``, else an HTTP GET of ``path`` on
    ``port``, else a TCP connect to ``port``."""

    port: int | str
    path: str | None
    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int
    origin: str = ""
    command: list[str] | None = None
    grpc: bool = False
    grpc_service: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class ContainerSecurity(_Record):
    """A container's ``securityContext``."""

    run_as_non_root: bool
    read_only_root_filesystem: bool
    allow_privilege_escalation: bool
    add_capabilities: list[str]
    run_as_user: int | None = None
    run_as_group: int | None = None


@dataclass(slots=True, repr=False, eq=False)
class PodSecurity(_Record):
    """A pod's ``securityContext``, its sysctls included; ``run_as_user`` and
    ``run_as_group`` are None for the image's own user (a baseline tier)."""

    run_as_user: int | None
    run_as_group: int | None
    fs_group: int | None
    run_as_non_root: bool
    seccomp_profile: str
    sysctls: dict[str, str] = field(default_factory=dict)
    fs_group_change_policy: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class VolumeMount(_Record):
    """Where a container mounts one of the pod's volumes."""

    name: str
    mount_path: str
    read_only: bool = False
    sub_path: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class Volume(_Record):
    """A pod volume: an emptyDir (``secret``, ``config_map``, ``host_path``
    and ``token_seconds`` None), a Secret's keys as files, a ConfigMap, a path
    of the node (a DaemonSet's ``host_paths``), or the API token of the pod's
    ServiceAccount (a projected volume of a token valid ``token_seconds``)."""

    name: str
    secret: str | None = None
    items: list[str] = field(default_factory=list)
    config_map: str | None = None
    host_path: str | None = None
    host_path_type: str | None = None
    token_seconds: int | None = None
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class VolumeClaim(_Record):
    """A StatefulSet's ``volumeClaimTemplates`` entry."""

    name: str
    size: str
    storage_class: str | None


@dataclass(slots=True, repr=False, eq=False)
class Container(_Record):
    """One container of a pod, resolved."""

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
    startup: Probe | None = None
    volume_mounts: list[VolumeMount] = field(default_factory=list)
    restart_policy: str | None = None
    """``Always`` for a native sidecar (an init container that keeps running)."""
    origin: str = ""
    """The user's field of a sidecar or init container (``sidecars[0]``); ``""``
    for the main one."""


@dataclass(slots=True, repr=False, eq=False)
class Workload(_Record):
    """A tier's Deployment or StatefulSet (``kind``)."""

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
    restart_policy: str | None = None
    """The pods' ``restartPolicy``: set for Jobs and CronJobs (``Never``, ``OnFailure``)."""
    job: JobSpec | None = None
    """A Job's or CronJob's own fields."""
    cron: CronSpec | None = None
    daemon: DaemonSpec | None = None
    tolerations: list[Toleration] = field(default_factory=list)
    service_account_name: str | None = None
    termination_grace_period_seconds: int | None = None

    def pod_containers(self) -> list[Container]:
        """Every container of the pod: init containers first, then the others."""
        return [*self.init_containers, *self.containers]

    def serving_containers(self) -> list[Container]:
        """The containers that keep running, whose ports a Service can target:
        native sidecars and the regular containers."""
        native = [c for c in self.init_containers if c.restart_policy == "Always"]
        return [*native, *self.containers]


@dataclass(slots=True, repr=False, eq=False)
class ServicePort(_Record):
    """A Service port and the container port it targets."""

    name: str | None
    port: int
    target_port: int | str
    protocol: str
    node_port: int | None = None
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class Service(_Record):
    """A Service of a tier: its type, ports and selector."""

    meta: Meta
    type: str
    headless: bool
    selector: dict[str, str]
    ports: list[ServicePort]
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class Edge(_Record):
    """A reference from one tier to another's Service: the wiring graph."""

    source: str
    target: str
    env: str
    service: str
    namespace: str
    port: int | None
    protocol: str
    external: bool = False
    via: str = "env"
    """``env`` (a reference in env var ``env``) or ``calls`` (``calls[i]``, in ``env``)."""


@dataclass(slots=True, repr=False, eq=False)
class IPBlock(_Record):
    """Addresses outside the cluster: ``cidr`` without the ranges in ``holes``."""

    cidr: str
    holes: list[str] = field(default_factory=list)


@dataclass(slots=True, repr=False, eq=False)
class PolicyPeer(_Record):
    """Pods (``pod_selector``) in namespaces (``namespace_selector``); None: any.
    Or addresses (``ip_block``). ``outside_app``: pods that are not the app's,
    whose selector is written as ``matchExpressions`` so that an overlay's
    ``commonLabels`` (which rewrites ``matchLabels``) leaves it alone."""

    pod_selector: dict[str, str] | None
    namespace_selector: dict[str, str] | None = None
    ip_block: IPBlock | None = None
    outside_app: bool = False


@dataclass(slots=True, repr=False, eq=False)
class PolicyPort(_Record):
    """A port a NetworkPolicy rule admits."""

    port: int
    protocol: str


@dataclass(slots=True, repr=False, eq=False)
class PolicyRule(_Record):
    """Traffic to or from ``peers`` (empty: anywhere) on ``ports``."""

    peers: list[PolicyPeer]
    ports: list[PolicyPort]


@dataclass(slots=True, repr=False, eq=False)
class OutsideRule(_Record):
    """A connection a tier declares to or from outside the app
    (``ingress_from[i]``, ``egress_to[i]``: ``origin``): its direction, peers
    and ports, and how the graph names the other end (``label``)."""

    direction: str
    peers: list[PolicyPeer]
    ports: list[PolicyPort]
    label: str
    origin: str


@dataclass(slots=True, repr=False, eq=False)
class NetworkPolicy(_Record):
    """A tier's NetworkPolicy, from the wiring graph."""

    meta: Meta
    pod_selector: dict[str, str]
    ingress: list[PolicyRule]
    egress: list[PolicyRule]


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


def field_path(origin: str, attr: str) -> str:
    """The user's field for ``attr`` of an element that came from ``origin``."""
    return f"{origin}.{attr}" if origin else attr


@dataclass(slots=True, repr=False, eq=False)
class TopologySpread(_Record):
    """One ``topologySpreadConstraints`` entry, selecting the tier's own pods."""

    topology_key: str
    max_skew: int
    when_unsatisfiable: str
    selector: dict[str, str]


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
class IngressBackend(_Record):
    """Where one Ingress path leads: a tier's Service port, and the container port
    behind it (``target_port``, a number) that a NetworkPolicy has to open."""

    tier: str
    namespace: str
    service: str
    service_port: int
    service_port_name: str | None
    target_port: int | None
    selector: dict[str, str]


@dataclass(slots=True, repr=False, eq=False)
class IngressPath(_Record):
    """A path of an Ingress rule or HTTPRoute to a tier's Service port."""

    path: str
    path_type: str
    backend: IngressBackend
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class IngressRule(_Record):
    """An Ingress rule: a host and its paths."""

    host: str | None
    paths: list[IngressPath]
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class Ingress(_Record):
    """An Ingress, with its rules and TLS."""

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


@dataclass(slots=True, repr=False, eq=False)
class GatewayParent(_Record):
    """The Gateway an HTTPRoute attaches to."""

    name: str
    namespace: str | None
    section_name: str | None


@dataclass(slots=True, repr=False, eq=False)
class HTTPRoute(_Record):
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


@dataclass(slots=True, repr=False, eq=False)
class IngressController(_Record):
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


@dataclass(slots=True, repr=False, eq=False)
class JobSpec(_Record):
    """What a Job (or each Job of a CronJob) does when its pods fail or finish."""

    backoff_limit: int
    active_deadline_seconds: int | None
    ttl_seconds_after_finished: int | None


@dataclass(slots=True, repr=False, eq=False)
class CronSpec(_Record):
    """A CronJob's schedule and how it runs its Jobs."""

    schedule: str
    time_zone: str | None
    concurrency_policy: str
    successful_jobs_history_limit: int
    failed_jobs_history_limit: int
    starting_deadline_seconds: int | None
    suspend: bool


@dataclass(slots=True, repr=False, eq=False)
class DaemonSpec(_Record):
    """How a DaemonSet replaces its pods."""

    update_strategy: str
    max_unavailable: int | str


@dataclass(slots=True, repr=False, eq=False)
class Toleration(_Record):
    """A taint the pods tolerate; ``key`` None: every taint."""

    key: str | None
    operator: str
    value: str | None
    effect: str | None
    toleration_seconds: int | None


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


@dataclass(slots=True, repr=False, eq=False)
class EndpointSlice(_Record):
    """The endpoints of a Service without a selector: addresses of one family."""

    meta: Meta
    address_type: str
    addresses: list[str]
    ports: list[ServicePort]


@dataclass(slots=True, repr=False, eq=False)
class ExternalService(_Record):
    """A Service the app reaches outside its tiers. ``kind``: ``ExternalName``
    (tiers emits it, a DNS alias), ``Endpoints`` (tiers emits it without a
    selector, and its ``slices``) or ``managed`` (it exists elsewhere)."""

    meta: Meta
    kind: str
    ports: list[ServicePort]
    external_name: str | None = None
    addresses: list[str] = field(default_factory=list)
    cidrs: list[str] = field(default_factory=list)
    slices: list[EndpointSlice] = field(default_factory=list)
    location: Location = UNKNOWN

    @property
    def emitted(self) -> bool:
        """True when tiers writes its Service (and EndpointSlices)."""
        return self.kind != "managed"
