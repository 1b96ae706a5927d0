"""References between tiers: objects that the compiler resolves into env values.

A tier never names another tier with a string. It asks the other tier for a
reference (``db.host``, ``api.url()``, ``db.port_ref("mysql")``) and the
compiler turns it into the Service's DNS name, port number or URL, checking
on the way that the Service and the port exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable


@runtime_checkable
class Target(Protocol):
    r"""What a reference points at: a :class:`~tiers.Tier` or an
    :class:`~tiers.ExternalService` (both are ``Endpoint``\ s, which make the
    references; this module does not import them, so that the model has no
    import cycle)."""

    @property
    def name(self) -> str: ...


DnsForm = Literal["short", "namespace", "svc", "fqdn"]
"""How a Service's DNS name is written: ``name``, ``name.namespace``,
``name.namespace.svc`` or ``name.namespace.svc.<cluster domain>``."""


@dataclass(frozen=True, eq=False)
class HostRef:
    """The DNS name of a tier's Service: ``mysql-service`` in the same namespace,
    ``mysql-service.data.svc.cluster.local`` from another one.

    ``service`` picks one of the tier's Services by name; ``None`` (the default)
    means its first Service. ``dns`` fixes the form of the name (a
    :data:`DnsForm`); ``None`` (the default) means short inside the namespace,
    FQDN across.
    """

    target: Target
    service: str | None = None
    dns: DnsForm | None = None


@dataclass(frozen=True, eq=False)
class PortRef:
    """A port of a tier's Service, resolved to its number (``"3306"``).

    ``port`` is the Service port's name or number; ``None`` (the default) means
    the Service's first port.
    """

    target: Target
    port: int | str | None = None
    service: str | None = None


@dataclass(frozen=True, eq=False)
class UrlRef:
    """A URL to a tier's Service: ``http://backend-service``.

    The port is left out when it is the scheme's default (80 for http, 443 for
    https) and written otherwise (``http://backend-service:8080``). ``path`` is
    appended as given, with a leading ``/`` added when missing. ``dns`` fixes
    the form of the host, as for :class:`HostRef`.
    """

    target: Target
    scheme: str = "http"
    port: int | str | None = None
    path: str = ""
    service: str | None = None
    dns: DnsForm | None = None


Ref = HostRef | PortRef | UrlRef


def _short_repr(self: Ref) -> str:
    fields = ", ".join(
        f"{key}={value!r}"
        for key, value in vars(self).items()
        if key != "target" and value not in (None, "")
    )
    name = getattr(self.target, "name", "?")
    return f"{type(self).__name__}({name!r}{', ' + fields if fields else ''})"


HostRef.__repr__ = PortRef.__repr__ = UrlRef.__repr__ = _short_repr  # type: ignore[method-assign,assignment]
