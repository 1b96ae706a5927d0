"""How tiers are reached, resolved: Services and their ports, the wiring
graph's edges, NetworkPolicies, Ingresses, HTTPRoutes and external Services."""

from __future__ import annotations

from dataclasses import dataclass, field

from tiers.ir.base import Meta, _Record
from tiers.location import UNKNOWN, Location


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
