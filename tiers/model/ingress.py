"""Ingress: HTTP routes from outside the cluster to tiers' Service ports.

On a tier, the short way::

    Frontend("web", ingress=Ingress(host="shop.example.com", tls_secret="shop-tls"))

App-wide, one Ingress routing several paths to several tiers::

    app.add(Ingress("shop", host="shop.example.com", paths=[
        IngressPath("/api", api.port_ref("http")),
        IngressPath("/", web.port_ref()),
    ]))
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import TYPE_CHECKING, Literal

from tiers.model.base import model
from tiers.model.refs import PortRef

if TYPE_CHECKING:
    from pydantic import InstanceOf
else:  # pydantic's meaning, without importing pydantic: see tiers.model.typecheck
    from tiers.model.typecheck import InstanceOf

PathType = Literal["Prefix", "Exact", "ImplementationSpecific"]


@model
class IngressPath:
    """One path of a rule and the Service port it leads to.

    ``backend`` is a port reference (``api.port_ref("http")``); ``None`` (the
    default) means the port of the tier that declares the Ingress.
    ``path_type`` defaults to ``Prefix``.
    """

    path: str = "/"
    backend: InstanceOf[PortRef] | None = None
    _: KW_ONLY
    path_type: PathType = "Prefix"


@model
class IngressRule:
    """The paths of one host (``None``: any host)."""

    host: str | None = None
    paths: list[IngressPath | str] = field(default_factory=lambda: ["/"])


@model
class Ingress:
    """An Ingress (``networking.k8s.io/v1``).

    - ``name``: defaults to ``<tier>-ingress`` on a tier; required with ``app.add``.
    - ``host`` and ``paths`` (default ``["/"]``): the short way to write one rule;
      ``rules`` for several hosts. A path is a string (``Prefix``, to ``port``)
      or an :class:`IngressPath`.
    - ``port``: the Service port (name or number) of the declaring tier that
      string paths lead to; default its first Service's first port.
    - ``tls_secret``: the Secret with the certificate, covering every host of
      the Ingress; ``None`` (default) means plain HTTP.
    - ``ingress_class``: default the app's ``IngressController.ingress_class``.
    """

    name: str | None = None
    _: KW_ONLY
    host: str | None = None
    paths: list[IngressPath | str] | None = None
    rules: list[IngressRule] | None = None
    port: int | str | None = None
    tls_secret: str | None = None
    ingress_class: str | None = None
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@model
class IngressController:
    """Where the cluster's ingress controller runs, so that NetworkPolicies admit it.

    Defaults fit ingress-nginx: ``namespace="ingress-nginx"``,
    ``pod_labels={"app.kubernetes.io/name": "ingress-nginx"}``,
    ``ingress_class="nginx"`` (the class of Ingresses that name none).
    """

    namespace: str = "ingress-nginx"
    _: KW_ONLY
    pod_labels: dict[str, str] = field(
        default_factory=lambda: {"app.kubernetes.io/name": "ingress-nginx"}
    )
    ingress_class: str | None = "nginx"
