"""The app definition: typed descriptions of an application's tiers.

>>> from tiers import App, Backend, MySQL
>>> app = App("shop", namespace="shop")
>>> db = app.add(MySQL("mysql"))
>>> api = app.add(Backend("backend", image="my-backend:1.4.2", env={"DB_HOST": db.host}))
>>> [tier.name for tier in app.tiers]
['mysql', 'backend']
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from tiers.location import Location, caller_location
from tiers.model.base import model
from tiers.model.configmap import ConfigMap
from tiers.model.connections import EgressTo, IngressFrom
from tiers.model.ingress import Ingress, IngressController
from tiers.model.profile import KindProfile
from tiers.model.rbac import ServiceAccount
from tiers.model.refs import AddressRef, DnsForm, HostRef, PortRef, UrlRef
from tiers.model.route import HTTPRoute
from tiers.model.scaling import Autoscale, DisruptionBudget, TopologySpread
from tiers.model.security import Probes, Resources, Security, SecurityLevel, Storage

if TYPE_CHECKING:
    from pydantic import InstanceOf
else:  # pydantic's meaning, without importing pydantic: see tiers.model.typecheck
    from tiers.model.typecheck import InstanceOf

from tiers.model.parts import (
    Container as Container,
)
from tiers.model.parts import (
    EnvValue as EnvValue,
)
from tiers.model.parts import (
    ImagePullPolicy as ImagePullPolicy,
)
from tiers.model.parts import (
    Patch as Patch,
)
from tiers.model.parts import (
    Port as Port,
)
from tiers.model.parts import (
    Protocol as Protocol,
)
from tiers.model.parts import (
    Service as Service,
)
from tiers.model.parts import (
    ServicePort as ServicePort,
)
from tiers.model.parts import (
    ServiceShortcut as ServiceShortcut,
)
from tiers.model.parts import (
    ServiceType as ServiceType,
)


class Endpoint:
    """Something other tiers can reach: one Service of a tier, or an external one.

    ``host``, ``port_ref()`` and ``url()`` return references that the compiler
    resolves into env values.
    """

    url_scheme: ClassVar[str] = "http"
    """The scheme :meth:`url` gives by default: the kind's protocol
    (``postgresql``, ``redis``, ``amqp``, ...), ``http`` for any other tier."""

    def _endpoint_service(self) -> str | None:
        return None

    @property
    def host(self) -> HostRef:
        """The Service's DNS name (short inside the namespace, FQDN across)."""
        return HostRef(self, self._endpoint_service())  # type: ignore[arg-type]

    def dns_name(self, form: DnsForm = "fqdn") -> HostRef:
        """The Service's DNS name in a fixed form: ``"short"`` (``name``),
        ``"namespace"`` (``name.namespace``), ``"svc"`` (``name.namespace.svc``) or
        ``"fqdn"`` (the default: ``name.namespace.svc.<cluster domain>``)."""
        return HostRef(self, self._endpoint_service(), form)  # type: ignore[arg-type]

    def port_ref(self, port: int | str | None = None) -> PortRef:
        """A Service port's number, picked by name or number (default: the first)."""
        return PortRef(self, port, self._endpoint_service())  # type: ignore[arg-type]

    def url(
        self,
        scheme: str | None = None,
        port: int | str | None = None,
        path: str = "",
        dns: DnsForm | None = None,
    ) -> UrlRef:
        """``scheme://host[:port][path]``; the port is omitted when it is the scheme's default
        (80 for ``http``, 443 for ``https``).

        ``scheme`` defaults to the kind's (``postgresql`` for :class:`~tiers.Postgres`,
        ``redis``, ``mongodb``, ``amqp``, ``mysql``, ``mariadb``; ``http`` for any
        other tier). ``dns`` fixes the form of the host (see :meth:`dns_name`);
        ``None`` (the default) means short inside the namespace, FQDN across."""
        service = self._endpoint_service()
        chosen = scheme if scheme is not None else type(self).url_scheme
        return UrlRef(self, chosen, port, path, service, dns)  # type: ignore[arg-type]

    def address(self, port: int | str | None = None, dns: DnsForm | None = None) -> AddressRef:
        """``host:port`` (``catalog-service:3550``): the Service's DNS name, as
        :attr:`host`, and a port picked by name or number (default: the first)."""
        return AddressRef(self, port, self._endpoint_service(), dns)  # type: ignore[arg-type]


Call = (
    InstanceOf[Endpoint]
    | InstanceOf[HostRef]
    | InstanceOf[PortRef]
    | InstanceOf[AddressRef]
    | InstanceOf[UrlRef]
)
"""What ``calls=[...]`` holds: a tier or an :class:`ExternalService` (its first
Service, every port), ``tier.endpoint("name")`` (that Service, every port), or
a reference (``tier.port_ref(8080)``, ``tier.address("grpc")``: that port)."""


@model
class Tier(Endpoint):
    """A tier of the application: one workload (a Deployment) and its Services.

    Only ``name`` and ``image`` are required. Defaults:

    - ``image_pull_policy``: ``"Always"`` (each pod start asks the registry
      for the tag's image, so a moved tag is not run stale); ``"IfNotPresent"``
      or ``"Never"`` use a copy the node has (pin a digest or a version then).
    - ``replicas``: 1.
    - ``ports``: the container ports, as :class:`Port` or plain numbers; none by default.
    - ``port`` / ``target_port`` / ``service`` / ``service_name``: shortcut for a
      tier with one Service. ``service`` is ``"ClusterIP"`` (default),
      ``"Headless"``, ``"NodePort"``, ``"LoadBalancer"`` or ``"None"`` (no
      Service); ``port`` is the Service port (default: one Service port per
      container port); ``target_port`` defaults to the container port of the
      same number, else the first container port;
      ``service_name`` to ``<name>-service``.
    - ``services``: full control instead of the shortcut, for several Services.
    - ``workload_name`` and ``container_name``: default to ``name``.
    - ``namespace``: defaults to the app's namespace.
    - ``selector``: the pod labels that Services select; default
      ``app.kubernetes.io/name: <name>`` and ``app.kubernetes.io/instance: <app>``.
    - ``labels`` / ``annotations``: added to every object of the tier.
    - ``env``: env vars, literal strings or references to other tiers.
    - ``component``: the ``app.kubernetes.io/component`` label; defaults to the
      kind's component (``database``, ``backend``, ``frontend``) or ``name``.
    - ``patches``: strategic-merge patches (:class:`Patch`) applied to the
      tier's objects after rendering, for fields tiers does not model; none
      by default.
    - ``ingress``: an :class:`~tiers.model.ingress.Ingress` to the tier's Service; none by default.
    - ``route``: a Gateway API :class:`~tiers.model.route.HTTPRoute` to it instead; none by default.
    - ``autoscale``: an :class:`~tiers.model.scaling.Autoscale` (HorizontalPodAutoscaler);
      ``replicas`` is then left to it. None by default.
    - ``disruption_budget``: ``True`` (default) gives a PodDisruptionBudget
      (``maxUnavailable: 1``) to tiers with more than one replica (or an
      autoscaler with ``min_replicas`` > 1); a :class:`~tiers.model.scaling.DisruptionBudget`
      sets the bounds (and always applies); ``False`` means none.
    - ``topology_spread``: ``True`` (default) spreads the pods of multi-replica
      tiers across nodes (``ScheduleAnyway``); a :class:`~tiers.model.scaling.TopologySpread`
      sets the constraint; ``False`` means none.
    - ``mounts``: mount path → :class:`~tiers.model.configmap.ConfigMap`, mounted read-only.
    - ``extra_templates``: paths of Jinja2 templates for extra objects, relative
      to the file that creates the tier, rendered with the tier's context.
    - ``security``: overrides of the restricted pod security defaults
      (:class:`~tiers.Security`); the kind's ``profile`` gives the defaults:
      uid/gid 10001, read-only root filesystem with ``/tmp`` writable.
      ``"baseline"`` is short for ``Security(level="baseline")``, for an image
      that must start as root.
    - ``resources``: CPU and memory (:class:`~tiers.Resources`); default
      ``100m``/``500m`` CPU and ``128Mi``/``256Mi`` memory (request/limit).
    - ``probes``: readiness, liveness and startup (:class:`~tiers.Probes`, or
      ``False`` for none); default TCP on the first container port, liveness
      after 10 s, no startup probe (``Probes(startup_seconds=...)`` adds one).
    - ``termination_grace_period_seconds``: how long a stopping pod may take
      after SIGTERM before it is killed (0 or more); ``None`` (the default)
      leaves it to Kubernetes, 30 s.
    - ``stateful``: a StatefulSet instead of a Deployment (default: the
      kind's; ``True`` when ``storage`` is given).
    - ``storage``: a persistent volume per pod (:class:`~tiers.Storage`).
    - ``sidecars``: more :class:`Container` s running beside the main one;
      none by default.
    - ``init_containers``: :class:`Container` s run to completion, in order,
      before the others start; none by default.
    - ``calls``: the tiers (or Services, or ports) the tier calls without an
      env reference, by a DNS name its image has built in: each opens egress
      and the other tier's ingress as a reference would, and is an edge of
      the graph (a :data:`Call` each); none by default.
    - ``peers``: the tier's pods talk to each other on these container ports
      (numbers or names); ``True``: on all of them; ``False``: not at all.
      ``None`` (the default) means: a StatefulSet with more than one replica
      has peers on the ports of its headless governing Service, any other
      tier none.
    - ``ingress_from``: callers outside the app that the tier admits
      (:class:`~tiers.connections.IngressFrom`: a namespace, labelled pods,
      CIDRs); none by default.
    - ``egress_to``: what the tier calls outside the app or the cluster
      (:class:`~tiers.connections.EgressTo`: hosts, CIDRs, the internet,
      other pods) on given ports; none by default. DNS is always allowed.
    - ``service_account``: a ServiceAccount of the tier's own, with what it
      may do in the Kubernetes API (:class:`~tiers.rbac.ServiceAccount`);
      ``None`` (the default): the namespace's ``default`` account, no token.
    - ``accept``: warnings of the tier that are known and wanted, by code,
      each with why (``{"host-path": "reads the node's /proc"}``): shown as
      accepted, not counted as warnings (``--strict`` passes); none by default.
    """

    kind: ClassVar[str] = "Tier"
    default_component: ClassVar[str | None] = None
    profile: ClassVar[KindProfile] = KindProfile()

    name: str
    _: KW_ONLY
    image: str
    image_pull_policy: ImagePullPolicy = "Always"
    command: list[str] | None = None
    args: list[str] | None = None
    replicas: int = 1
    ports: list[Port | int] = field(default_factory=list)
    port: int | None = None
    target_port: int | str | None = None
    service: ServiceShortcut = "ClusterIP"
    service_name: str | None = None
    services: list[Service] | None = None
    workload_name: str | None = None
    container_name: str | None = None
    namespace: str | None = None
    selector: dict[str, str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    env: dict[str, EnvValue] = field(default_factory=dict)
    component: str | None = None
    patches: list[Patch] = field(default_factory=list)
    ingress: Ingress | None = None
    route: HTTPRoute | None = None
    autoscale: Autoscale | None = None
    disruption_budget: DisruptionBudget | bool = True
    topology_spread: TopologySpread | bool = True
    mounts: dict[str, ConfigMap] = field(default_factory=dict)
    extra_templates: list[Path | str] = field(default_factory=list)
    security: Security | SecurityLevel | None = None
    resources: Resources | None = None
    probes: Probes | Literal[False] | None = None
    termination_grace_period_seconds: int | None = None
    stateful: bool | None = None
    storage: Storage | None = None
    sidecars: list[Container] = field(default_factory=list)
    init_containers: list[Container] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    peers: bool | list[int | str] | None = None
    ingress_from: list[IngressFrom] = field(default_factory=list)
    egress_to: list[EgressTo] = field(default_factory=list)
    service_account: ServiceAccount | None = None
    accept: dict[str, str] = field(default_factory=dict)

    def endpoint(self, service: str) -> ServiceEndpoint:
        """References through the tier's Service named ``service``."""
        return ServiceEndpoint(self, service)


class ServiceEndpoint(Endpoint):
    """One named Service of a tier, for tiers with several Services."""

    def __init__(self, tier: Tier, service: str) -> None:
        self.tier = tier
        self.service = service

    def _endpoint_service(self) -> str | None:
        return self.service

    def __repr__(self) -> str:
        return f"{getattr(self.tier, 'name', '?')}.endpoint({self.service!r})"

    @property
    def host(self) -> HostRef:
        return HostRef(self.tier, self.service)

    def dns_name(self, form: DnsForm = "fqdn") -> HostRef:
        return HostRef(self.tier, self.service, form)

    def port_ref(self, port: int | str | None = None) -> PortRef:
        return PortRef(self.tier, port, self.service)

    def url(
        self,
        scheme: str | None = None,
        port: int | str | None = None,
        path: str = "",
        dns: DnsForm | None = None,
    ) -> UrlRef:
        chosen = scheme if scheme is not None else type(self.tier).url_scheme
        return UrlRef(self.tier, chosen, port, path, self.service, dns)

    def address(self, port: int | str | None = None, dns: DnsForm | None = None) -> AddressRef:
        return AddressRef(self.tier, port, self.service, dns)


@model
class ExternalService(Endpoint):
    """A Service outside the app's tiers, referenced like a tier
    (``db.host``, ``db.url()``).

    - ``namespace``: where the Service is; ``None`` (the default) means the
      app's namespace.
    - ``ports``: its Service ports (:class:`ServicePort` or plain numbers);
      none by default.
    - ``external_name``: a DNS name (``db.example.com``); tiers then emits an
      ExternalName Service, a DNS alias of that name, so that ``db.host`` is
      the Service's name. ``None`` by default.
    - ``addresses``: IP addresses; tiers then emits a Service without a
      selector and the EndpointSlices that list the addresses, on the ports'
      ``target_port`` (default: the port). None by default.
    - ``cidrs``: for an ``external_name``, the networks its name resolves
      into (``["10.20.0.0/16"]``), which bound the NetworkPolicy egress to
      it; none by default.

    With neither ``external_name`` nor ``addresses``, the Service is managed
    elsewhere and tiers only refers to it; egress goes to its namespace.

    >>> from tiers import ExternalService
    >>> ldap = ExternalService("ldap", namespace="identity", ports=[389])
    >>> db = ExternalService("orders-db", external_name="orders.db.example.com", ports=[5432])
    """

    name: str
    _: KW_ONLY
    namespace: str | None = None
    ports: list[ServicePort | int] = field(default_factory=list)
    external_name: str | None = None
    addresses: list[str] = field(default_factory=list)
    cidrs: list[str] = field(default_factory=list)


Item = TypeVar("Item", bound=Tier | ExternalService | Ingress | HTTPRoute)


class App:
    """An application: a set of tiers deployed together in one namespace.

    ``namespace`` defaults to the app's name; ``cluster_domain`` (default
    ``cluster.local``) is used in the FQDNs of cross-namespace references.
    ``ingress_controller`` says where the ingress controller runs (default:
    ingress-nginx, see :class:`~tiers.model.ingress.IngressController`);
    ``extra_templates`` are Jinja2 templates of app-wide extra objects,
    relative to the app's file.
    ``create_namespace`` (default ``True``) emits the Namespace objects,
    labelled to enforce the restricted Pod Security Standard; set it to
    ``False`` when the namespace is managed elsewhere. ``network_policies``
    (default ``True``) emits a NetworkPolicy per tier, derived from the wiring.
    ``sync_waves`` (default ``False``) orders a first deploy by the wiring, for
    Argo CD: each tier's objects get a sync wave after those of the tiers it
    references (see :mod:`tiers.resolve.rollout`).
    """

    def __init__(
        self,
        name: str,
        *,
        namespace: str | None = None,
        cluster_domain: str = "cluster.local",
        ingress_controller: IngressController | None = None,
        extra_templates: list[Path | str] | None = None,
        create_namespace: bool = True,
        network_policies: bool = True,
        sync_waves: bool = False,
    ) -> None:
        self.name = name
        self.namespace = namespace if namespace is not None else name
        self.cluster_domain = cluster_domain
        self.ingress_controller = ingress_controller or IngressController()
        self.extra_templates = list(extra_templates or [])
        self.create_namespace = create_namespace
        self.network_policies = network_policies
        self.sync_waves = sync_waves
        self.tiers: list[Tier] = []
        self.externals: list[ExternalService] = []
        self.ingresses: list[Ingress] = []
        self.routes: list[HTTPRoute] = []
        self._defined_at = caller_location()
        self._added: dict[int, Location] = {}
        self._added_again: list[tuple[object, Location]] = []

    def add(self, item: Item) -> Item:
        """Add a tier (or declare an external Service, or add an Ingress or an
        HTTPRoute) and return it, for references. Adding the same object
        again is recorded as a problem (reported by validation), not added."""
        where = caller_location()
        if id(item) in self._added:
            self._added_again.append((item, where))
            return item
        self._added[id(item)] = where
        if isinstance(item, ExternalService):
            self.externals.append(item)
        elif isinstance(item, Ingress):
            self.ingresses.append(item)
        elif isinstance(item, HTTPRoute):
            self.routes.append(item)
        else:
            self.tiers.append(item)
        return item

    def __repr__(self) -> str:
        return f"App({self.name!r}, namespace={self.namespace!r}, tiers={len(self.tiers)})"
