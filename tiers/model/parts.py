"""The parts of a tier: its container ports, other containers, Services and
Service ports, patches, and the values its env takes (:data:`EnvValue`).
Re-exported by :mod:`tiers.model.app`, where the tier itself is."""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import TYPE_CHECKING, Any, Literal

from tiers.model.base import model
from tiers.model.configmap import ConfigMap, ConfigMapKey
from tiers.model.refs import AddressRef, HostRef, PortRef, UrlRef
from tiers.model.secrets import ConfigMapKeyRef, DevSecret, NotSecret, SecretKeyRef
from tiers.model.security import Probes, Resources, Security

if TYPE_CHECKING:
    from pydantic import InstanceOf
else:  # pydantic's meaning, without importing pydantic: see tiers.model.typecheck
    from tiers.model.typecheck import InstanceOf

Protocol = Literal["TCP", "UDP", "SCTP"]
ServiceType = Literal["ClusterIP", "NodePort", "LoadBalancer"]
ImagePullPolicy = Literal["Always", "IfNotPresent", "Never"]
ServiceShortcut = Literal["ClusterIP", "Headless", "NodePort", "LoadBalancer", "None"]

EnvValue = (
    str
    | InstanceOf[HostRef]
    | InstanceOf[PortRef]
    | InstanceOf[UrlRef]
    | InstanceOf[AddressRef]
    | InstanceOf[ConfigMapKey]
    | SecretKeyRef
    | ConfigMapKeyRef
    | DevSecret
    | NotSecret
)
"""An env value: a literal string, a reference to another tier's Service (or a
string with references inside, ``f"redis://{cache.address()}/0"``), a key
of a ConfigMap that tiers emits (``conf.key("log_level")``), or a value from a
Secret or ConfigMap managed elsewhere (see :mod:`tiers.model.secrets`)."""


@model
class Port:
    """A port the container listens on (a ``containerPort``).

    ``name`` is optional for a single port; Services can target it by name.
    ``protocol`` defaults to ``TCP``.
    """

    number: int
    name: str | None = None
    _: KW_ONLY
    protocol: Protocol = "TCP"


@model
class Container:
    """Another container in a tier's pods: a sidecar or an init container.

    Only ``name`` and ``image`` are required; every other field works as the
    tier's field of the same name, checked the same way:

    - ``ports``: container ports (:class:`Port` or plain numbers); none by
      default. A Service of the tier may target them by number or name.
    - ``env``: literals or references (``db.host``, ``api.url()``,
      ``SecretKeyRef``, ``ConfigMapKeyRef``, ``conf.key(...)``); a reference
      to another tier opens egress to it in the tier's NetworkPolicy.
    - ``resources``: default ``50m``/``200m`` CPU and ``64Mi``/``128Mi``
      memory (request/limit), smaller than a main container's.
    - ``security``: the container's own settings (:class:`~tiers.Security`);
      default: the restricted defaults (not the tier's opt-outs) with a
      writable ``/tmp``. ``run_as_user``/``run_as_group`` override the pod's
      ids for this container; pod-wide fields (``fs_group``,
      ``seccomp_profile``, ``automount_service_account_token``) belong on
      the tier.
    - ``probes``: for a sidecar with ports, TCP on its first port by default;
      init containers that run to completion have none.
    - ``mounts``: mount path → :class:`~tiers.model.configmap.ConfigMap`, read-only.
    - ``native_sidecar``: for sidecars only, ``False`` by default (a regular
      container, which runs on every Kubernetes version). ``True`` makes it a
      Kubernetes native sidecar (an init container with ``restartPolicy:
      Always``, Kubernetes 1.29 or later) that starts before the init
      containers and the main container, and stops after them.
    - ``image_pull_policy``: as the tier's.

    >>> from tiers import Container, Port
    >>> shipper = Container(
    ...     "log-shipper", image="fluent/fluent-bit:3.1.9", ports=[Port(2020, "metrics")]
    ... )
    """

    name: str
    _: KW_ONLY
    image: str
    image_pull_policy: ImagePullPolicy = "Always"
    command: list[str] | None = None
    args: list[str] | None = None
    ports: list[Port | int] = field(default_factory=list)
    env: dict[str, EnvValue] = field(default_factory=dict)
    resources: Resources | None = None
    security: Security | None = None
    probes: Probes | Literal[False] | None = None
    mounts: dict[str, ConfigMap] = field(default_factory=dict)
    native_sidecar: bool = False


@model
class ServicePort:
    """One port of a Service: ``port`` on the Service, forwarded to ``target_port``.

    ``target_port`` is a container port's number or name; ``None`` (the default)
    means the same number as ``port``, as in Kubernetes. ``name`` is required
    when a Service has several ports. ``node_port`` is for NodePort and
    LoadBalancer Services only (30000-32767); ``None`` lets Kubernetes choose.
    """

    port: int
    _: KW_ONLY
    target_port: int | str | None = None
    name: str | None = None
    protocol: Protocol = "TCP"
    node_port: int | None = None


@model
class Service:
    """A Service in front of a tier's pods.

    ``name`` defaults to ``<tier>-service`` for a tier's first Service and must
    be given for the others. ``type`` is ``ClusterIP`` (the default), ``NodePort``
    or ``LoadBalancer``; ``headless=True`` makes a ClusterIP Service headless
    (``clusterIP: None``). ``ports`` defaults to one Service port for each
    container port, with the same number.
    """

    name: str | None = None
    _: KW_ONLY
    type: ServiceType = "ClusterIP"
    headless: bool = False
    ports: list[ServicePort] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@model
class Patch:
    """A strategic-merge patch of one object a tier emits: the escape hatch for
    any field tiers does not model.

    ``kind`` is the object's kind (``"Deployment"``, ``"StatefulSet"``,
    ``"Service"``, ...); ``name`` picks the object by ``metadata.name`` and
    may be left out (``None``, the default) when the tier emits one object of
    that kind. ``patch`` is merged into the rendered object after every other
    stage, as ``kubectl patch --type strategic`` would: mappings merge key by
    key, ``None`` removes a key, lists of containers, env vars, ports, volumes
    and volume mounts merge item by item by their name (ports by number and
    protocol, mounts by path), a probe handler or volume source replaces the
    object's other one (``$retainKeys`` keeps only the keys listed), and any
    other list is replaced. See :mod:`tiers.render.patches`.

    >>> from tiers import Patch
    >>> pods_on_ssd = {"spec": {"template": {"spec": {"nodeSelector": {"disk": "ssd"}}}}}
    >>> Patch("Deployment", pods_on_ssd).kind
    'Deployment'
    """

    kind: str
    patch: dict[str, Any]
    _: KW_ONLY
    name: str | None = None
