"""References between tiers: objects that the compiler resolves into env values.

A tier never names another tier with a string. It asks the other tier for a
reference (``db.host``, ``api.url()``, ``db.port_ref("mysql")``,
``catalog.address()``) and the compiler turns it into the Service's DNS name,
port number, URL or ``host:port``, checking on the way that the Service and
the port exist. A reference may be written into a longer string (an f-string,
``+``, ``str.format``, ``%``): see :mod:`tiers.model.composed`.
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


OPEN = "\ue000"
CLOSE = "\ue001"
"""Around a reference's number in a string: two private-use characters."""

_tokens: list[Ref] = []
_numbers: dict[int, int] = {}


def token(ref: Ref) -> str:
    """The text that stands for ``ref`` inside a string (the same each time)."""
    number = _numbers.get(id(ref))
    if number is None:
        number = len(_tokens)
        _tokens.append(ref)  # kept alive, so that its id is never reused
        _numbers[id(ref)] = number
    return f"{OPEN}{number}{CLOSE}"


def referenced(number: int) -> Ref | None:
    """The reference whose token holds ``number``, if there is one."""
    return _tokens[number] if 0 <= number < len(_tokens) else None


class _Composable:
    """What lets a reference stand inside a longer string: in an f-string,
    ``str.format``, ``%`` or ``+`` it becomes a token (:mod:`tiers.model.composed`)
    that the compiler resolves, so every reference in an env value is an edge
    of the graph."""

    __slots__ = ()

    def __str__(self) -> str:
        return token(self)  # type: ignore[arg-type]

    def __format__(self, spec: str) -> str:
        if spec:
            raise TypeError(
                f"a reference takes no format spec (':{spec}'); the compiler writes its "
                "value: write {ref} alone"
            )
        return token(self)  # type: ignore[arg-type]

    def __add__(self, other: str | _Composable) -> str:
        if not isinstance(other, str | _Composable):
            return NotImplemented
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        if not isinstance(other, str):
            return NotImplemented
        return other + str(self)


@dataclass(frozen=True, eq=False)
class HostRef(_Composable):
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
class PortRef(_Composable):
    """A port of a tier's Service, resolved to its number (``"3306"``).

    ``port`` is the Service port's name or number; ``None`` (the default) means
    the Service's first port.
    """

    target: Target
    port: int | str | None = None
    service: str | None = None


@dataclass(frozen=True, eq=False)
class UrlRef(_Composable):
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


@dataclass(frozen=True, eq=False)
class AddressRef(_Composable):
    """``host:port`` of a tier's Service: ``catalog-service:3550``, as gRPC
    clients and many others take it. The host is written as for
    :class:`HostRef` (short inside the namespace, FQDN across; ``dns`` fixes
    the form), the port as for :class:`PortRef`."""

    target: Target
    port: int | str | None = None
    service: str | None = None
    dns: DnsForm | None = None


Ref = HostRef | PortRef | UrlRef | AddressRef
REFS = (HostRef, PortRef, UrlRef, AddressRef)


def _short_repr(self: Ref) -> str:
    fields = ", ".join(
        f"{key}={value!r}"
        for key, value in vars(self).items()
        if key != "target" and value not in (None, "")
    )
    name = getattr(self.target, "name", "?")
    return f"{type(self).__name__}({name!r}{', ' + fields if fields else ''})"


for _cls in REFS:
    _cls.__repr__ = _short_repr  # type: ignore[assignment]
