"""Connections a tier's NetworkPolicy opens beyond its references.

References (``db.host``, ``api.url()``, ``cache.address()``) are the first way
a tier says whom it calls; these are the others:

- ``calls=[...]`` on a tier: the tiers (or one of their Services, or one port)
  it calls by a fixed DNS name its image knows, with no env var to reference;
- ``peers=...``: the tier's pods talk to each other (a quorum, a cluster);
- ``ingress_from=[IngressFrom(...)]``: callers outside the app (Prometheus in
  ``monitoring``, another team's pods, an address range);
- ``egress_to=[EgressTo(...)]``: what the tier calls outside the cluster
  (hosts, CIDRs, the internet) or outside the app (another team's pods).

>>> from tiers import Backend, EgressTo, IngressFrom
>>> api = Backend(
...     "api",
...     image="registry.example.com/api:1.0",
...     egress_to=[EgressTo(hosts=["api.stripe.com"], ports=[443])],
...     ingress_from=[IngressFrom(namespace="monitoring", ports=["http"])],
... )
>>> api.egress_to[0].ports
[443]
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import Literal

from tiers.model.base import model

Protocol = Literal["TCP", "UDP", "SCTP"]

PRIVATE_IPV4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")
"""What ``internet`` leaves out of ``0.0.0.0/0``: the private ranges (where
the cluster's own pods, nodes and Services usually are) and link-local
(where clouds serve instance metadata and credentials)."""
PRIVATE_IPV6 = ("fc00::/7", "fe80::/10")
"""What ``internet`` leaves out of ``::/0``: unique-local and link-local."""


@model
class IngressFrom:
    """Callers outside the app that a tier admits.

    Give ``namespace`` (every pod there, or with ``pods`` the pods with those
    labels), ``pods`` alone (pods with those labels in the tier's own
    namespace), or ``cidrs`` (address ranges, ``"10.8.0.0/16"``; not with
    ``namespace`` or ``pods``). ``ports`` are the tier's container ports, by
    number or name; empty (the default) means all of them.

    >>> from tiers import IngressFrom
    >>> prometheus = IngressFrom(
    ...     namespace="monitoring", pods={"app.kubernetes.io/name": "prometheus"}, ports=["metrics"]
    ... )
    """

    _: KW_ONLY
    namespace: str | None = None
    pods: dict[str, str] | None = None
    cidrs: list[str] = field(default_factory=list)
    ports: list[int | str] = field(default_factory=list)


@model
class EgressTo:
    """What a tier calls outside the app, on ``ports`` (required, numbers) and
    ``protocol`` (default ``TCP``).

    One kind of destination each:

    - ``hosts``: DNS names outside the cluster (``"api.stripe.com"``). A
      NetworkPolicy cannot match names, so they open the ``internet`` on
      ``ports``; the names are listed in the graph. Give ``cidrs`` instead
      when the addresses are known.
    - ``cidrs``: address ranges (``"203.0.113.0/24"``, ``"2001:db8::/32"``).
    - ``internet=True``: every public address: ``0.0.0.0/0`` and ``::/0``
      without the private and link-local ranges (:data:`PRIVATE_IPV4`,
      :data:`PRIVATE_IPV6`).
    - ``namespace`` and/or ``pods``: pods outside the app, selected as for
      :class:`IngressFrom`.

    DNS lookups are always allowed; they need no ``EgressTo``.

    >>> from tiers import EgressTo
    >>> database = EgressTo(cidrs=["10.20.0.0/16"], ports=[5432])
    """

    _: KW_ONLY
    hosts: list[str] = field(default_factory=list)
    cidrs: list[str] = field(default_factory=list)
    internet: bool = False
    namespace: str | None = None
    pods: dict[str, str] | None = None
    ports: list[int] = field(default_factory=list)
    protocol: Protocol = "TCP"


INTERNET = (("0.0.0.0/0", PRIVATE_IPV4), ("::/0", PRIVATE_IPV6))
"""The public internet as NetworkPolicy ``ipBlock``s: (cidr, except)."""


def cidr_problem(text: str) -> str | None:
    """``None`` for a CIDR a NetworkPolicy accepts (``10.0.0.0/8``), else what
    is wrong with it and the fix."""
    import ipaddress  # only where CIDRs are written

    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    else:
        if "/" in text:
            return None
        return f"'{text}' has no prefix length. Did you mean '{text}/{network.max_prefixlen}'?"
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return (
            f"'{text}' is not a CIDR; write an address and a prefix length, "
            "as '10.0.0.0/8' or '2001:db8::/32'"
        )
    return f"'{text}' has host bits set. Did you mean '{loose}'?"


def port_problem(port: int) -> str | None:
    """``None`` for a port number from 1 to 65535, else the fix."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        return f"{port!r} is not a port number; use a number from 1 to 65535"
    return None
