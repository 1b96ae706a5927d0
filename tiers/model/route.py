"""Gateway API HTTPRoutes: an alternative to an Ingress, attached to a Gateway
managed elsewhere.

    Frontend("web", route=HTTPRoute(gateway=GatewayRef("public", namespace="gateways"),
                                    hostnames=["shop.example.com"]))
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field

from tiers.model.base import model
from tiers.model.ingress import IngressPath


@model
class GatewayRef:
    """The Gateway an HTTPRoute attaches to (a ``parentRefs`` entry).

    ``namespace`` defaults to the route's; ``section_name`` (default ``None``,
    every listener) picks one listener of the Gateway.
    """

    name: str
    _: KW_ONLY
    namespace: str | None = None
    section_name: str | None = None


@model
class HTTPRoute:
    """An HTTPRoute (``gateway.networking.k8s.io/v1``).

    - ``name``: defaults to ``<tier>-route`` on a tier; required with ``app.add``.
    - ``gateway``: the :class:`GatewayRef` to attach to (required).
    - ``hostnames``: the hosts it answers for (default: every host of the Gateway).
    - ``paths``: strings (``Prefix`` paths to ``port``) or :class:`IngressPath`
      with a backend, like an Ingress; default ``["/"]``. ``Prefix`` becomes
      ``PathPrefix``; ``Exact`` stays; ``ImplementationSpecific`` has no equivalent.
    - ``port``: the declaring tier's Service port for string paths; default its first.
    """

    name: str | None = None
    _: KW_ONLY
    gateway: GatewayRef
    hostnames: list[str] = field(default_factory=list)
    paths: list[IngressPath | str] = field(default_factory=lambda: ["/"])
    port: int | str | None = None
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
