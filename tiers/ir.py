"""The intermediate representation between resolve and render.

Plain data, with every name, label, port and env value resolved. It imports
nothing from pydantic, Jinja2, YAML or click, so any output (manifests, a
diagram, a kustomization) can be made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """An emptyDir (``secret`` is None) or a Secret's keys as files."""

    name: str
    secret: str | None = None
    items: list[str] = field(default_factory=list)


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


@dataclass(slots=True)
class Workload:
    kind: str
    meta: Meta
    replicas: int
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
class Tier:
    name: str
    kind: str
    namespace: str
    workload: Workload
    services: list[Service]
    location: Location = UNKNOWN
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
    namespaces: list[Namespace] = field(default_factory=list)


def field_path(origin: str, attr: str) -> str:
    """The user's field for ``attr`` of an element that came from ``origin``."""
    return f"{origin}.{attr}" if origin else attr
