"""Checks of the External Services tiers emits: an ExternalName's DNS name,
the addresses of a Service without a selector, the CIDRs that bound the
egress to them, and a warning wherever a NetworkPolicy cannot know the
destination (a NetworkPolicy matches addresses, never DNS names)."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.resolve.externals import EXTERNAL_NAME, kind_of, usable

_NOT_ENDPOINTS = (
    ("is_loopback", "a loopback address, which is every node itself"),
    ("is_link_local", "a link-local address, which the API server refuses for endpoints"),
    ("is_unspecified", "the unspecified address"),
    ("is_multicast", "a multicast address"),
)


def _externals(context: Context) -> Iterator[model.ExternalService]:
    for external in context.app.externals:
        if isinstance(external, model.ExternalService) and usable(external):
            yield external


def _error(external: model.ExternalService, field: str, message: str) -> Diagnostic:
    text = f"ExternalService '{external.name}': {message}"
    return error("external-service", text, field=field, location=defined_at(external))


def check_external_kinds(context: Context) -> Iterator[Diagnostic]:
    """At most one of ``external_name`` and ``addresses``; ``cidrs`` only with
    ``external_name``; addresses with the ports they listen on."""
    for external in _externals(context):
        if external.external_name is not None and external.addresses:
            yield _error(
                external,
                "addresses",
                "give external_name (a DNS name) or addresses (IPs), not both",
            )
        elif external.cidrs and kind_of(external) != EXTERNAL_NAME:
            yield _error(
                external,
                "cidrs",
                "cidrs bound the egress to an external_name's addresses; the addresses "
                "(or the namespace) already say where the Service is: drop cidrs",
            )
        if external.addresses and not external.ports:
            yield _error(external, "ports", "give the ports its addresses listen on: ports=[5432]")


def check_external_names(context: Context) -> Iterator[Diagnostic]:
    """An ExternalName is a DNS name (RFC 1123 subdomain), never an IP or a URL."""
    for external in _externals(context):
        name = external.external_name
        if name is None:
            continue
        reason = _dns_name_problem(name)
        if reason:
            yield _error(external, "external_name", reason)


def _dns_name_problem(name: str) -> str | None:
    import ipaddress  # only for the ExternalName Services

    if "://" in name or "/" in name:
        return f"{name!r} is a URL: give the host alone, for example 'db.example.com'"
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return f"{name!r} is an IP address: give it as addresses=[{name!r}] instead"
    reason = rules.dns1123_subdomain(name.removesuffix("."))
    return f"{name!r} is not a DNS name: {reason}" if reason else None


def check_external_addresses(context: Context) -> Iterator[Diagnostic]:
    """Each address is an IP the API server accepts for an endpoint."""
    for external in _externals(context):
        for index, address in enumerate(external.addresses):
            problem = _address_problem(address)
            if problem:
                yield _error(external, f"addresses[{index}]", problem)


def _address_problem(address: str) -> str | None:
    import ipaddress  # only for the Services with addresses

    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (
            f"{address!r} is not an IP address (for example '10.0.5.12'); "
            "a DNS name is an external_name"
        )
    for attribute, what in _NOT_ENDPOINTS:
        if getattr(parsed, attribute):
            return f"{address} is {what}: give the address the server listens on"
    return None


def check_external_cidrs(context: Context) -> Iterator[Diagnostic]:
    """Each CIDR is a network, written with its host bits zero."""
    for external in _externals(context):
        for index, cidr in enumerate(external.cidrs):
            problem = _cidr_problem(cidr)
            if problem:
                yield _error(external, f"cidrs[{index}]", problem)


def _cidr_problem(cidr: str) -> str | None:
    import ipaddress  # only for the Services with cidrs

    if "/" not in cidr:
        return f"{cidr!r} has no prefix length: write '{cidr}/32' for one address"
    try:
        ipaddress.ip_network(cidr)
    except ValueError:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return f"{cidr!r} is not a CIDR block (for example '10.20.0.0/16')"
        return f"{cidr!r} has host bits set. Did you mean '{network}'?"
    return None


def check_external_egress(context: Context) -> Iterator[Diagnostic]:
    """A tier that references an ExternalName without ``cidrs`` gets egress that
    tiers cannot bound: open to any address on its ports, or none at all."""
    if not context.app.network_policies:
        return
    externals = {(e.meta.namespace, e.meta.name): e for e in context.resolved.externals}
    tiers = {t.name: t for t in context.resolved.tiers}
    seen: set[tuple[str, str]] = set()
    for edge in context.resolved.edges:
        external = externals.get((edge.namespace, edge.target))
        tier = tiers.get(edge.source)
        if tier is None or external is None or (edge.source, edge.target) in seen:
            continue
        seen.add((edge.source, edge.target))
        message = _egress_message(external)
        if message:
            yield context.warning("external-egress", message, tier, f"env.{edge.env}")


def _egress_message(external: ir.ExternalService) -> str | None:
    if external.kind != EXTERNAL_NAME or external.cidrs:
        return None
    name = f"ExternalService '{external.meta.name}' ({external.external_name})"
    fix = (
        f"give ExternalService('{external.meta.name}', ..., cidrs=[...]), "
        "the networks it resolves to"
    )
    if not external.ports:
        return (
            f"the NetworkPolicy cannot allow egress to {name}: a NetworkPolicy matches "
            f"addresses and ports, not DNS names, and it has neither. Give its ports, and {fix}"
        )
    ports = ", ".join(str(p.port) for p in external.ports)
    return (
        f"egress to {name} is allowed to any address on port {ports}, because a "
        f"NetworkPolicy cannot match a DNS name: {fix}"
    )
