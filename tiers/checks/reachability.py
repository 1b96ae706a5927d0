"""Never a silent deny: warnings, with the fix, where the NetworkPolicies
tiers writes would block a connection the app probably makes.

- a Service whose pods admit no one on its ports (no tier references it or
  declares a call to it, no ``ingress_from`` or peers, nothing exposes it);
- an env value that names one of the app's Services as text
  (``cache-primary``, ``inventory:80``, ``http://orders/api``) instead of
  referencing it, so no egress is opened to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic
from tiers.model import composed
from tiers.resolve.containers import owners
from tiers.resolve.policies import target_ports


def check_unadmitted_services(context: Context) -> Iterator[Diagnostic]:
    """Warn, once per tier, about the Services to whose ports the tier's
    NetworkPolicy admits no one."""
    if not context.app.network_policies:
        return
    for tier in context.resolved.tiers:
        admitted = _admitted(tier)
        if admitted is None:
            continue
        shut = [s for s in tier.services if not target_ports(tier, s.meta.name, None) & admitted]
        shut = [s for s in shut if target_ports(tier, s.meta.name, None)]
        if shut:
            field = shut[0].origin or "service"
            message = _unadmitted(tier, shut)
            yield context.warning("service-admits-no-one", message, tier, field)


def _admitted(tier: ir.Tier) -> set[tuple[int, str]] | None:
    """The ports some ingress rule of the tier admits; ``None``: every port."""
    found: set[tuple[int, str]] = set()
    for policy in tier.network_policies:
        for rule in policy.ingress:
            if not rule.ports:
                return None
            found |= {(p.port, p.protocol) for p in rule.ports}
    return found


def _unadmitted(tier: ir.Tier, services: list[ir.Service]) -> str:
    names = ", ".join(f"'{s.meta.name}'" for s in services)
    ports = set().union(*(target_ports(tier, s.meta.name, None) for s in services))
    numbers = ", ".join(str(p) for p, _ in sorted(ports))
    ref = _endpoint(tier, services[0])
    return (
        f"Service{'' if len(services) == 1 else 's'} {names} "
        f"admit{'s' if len(services) == 1 else ''} no one: no tier references "
        f"{'it' if len(services) == 1 else 'them'} or declares a call, and nothing outside the "
        f"app is admitted, so the tier's NetworkPolicy denies every connection to port(s) "
        f"{numbers}. Reference it from the tiers that call it ({ref}.host, {ref}.url()), "
        f"declare calls=[{ref}] on a tier whose image has the name built in, admit callers "
        "from outside the app with ingress_from=[IngressFrom(namespace=..., pods=...)], or "
        "drop the Service"
    )


def _endpoint(tier: ir.Tier, service: ir.Service) -> str:
    """How the user's code names ``service``: ``orders``, ``cache.endpoint('cache-replica')``."""
    variable = re.sub(r"\W", "_", tier.name)
    if tier.services and service is tier.services[0]:
        return variable
    return f"{variable}.endpoint('{service.meta.name}')"


@dataclass(frozen=True)
class _Named:
    """A Service of the app that a literal may name."""

    tier: ir.Tier
    service: ir.Service


_HOST = re.compile(
    r"(?:^|(?<=://)|(?<=[@\s,;=\"']))"
    r"(?P<host>[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)(?::(?P<port>\d{1,5}))?"
    r"(?=$|[/\s,;:\"'?#])"
)


def check_literal_service_names(context: Context) -> Iterator[Diagnostic]:
    """Warn about an env literal that names one of the app's Services, when the
    tier has no edge to that Service's tier."""
    if not context.app.network_policies:
        return
    names = _service_names(context.resolved)
    reached = {(e.source, e.target) for e in context.resolved.edges}
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for origin, owner in owners(written):
            for env, value in owner.env.items():
                if not isinstance(value, str):
                    continue
                for found in _named(value, names):
                    if (tier.name, found[0].tier.name) in reached or (
                        found[0].tier is tier and tier.peers
                    ):
                        continue
                    field = ir.field_path(origin, f"env.{env}")
                    message = _literal(env, value, *found)
                    yield context.warning("env-names-service", message, tier, field)


def _service_names(app: ir.App) -> dict[str, _Named]:
    """Every DNS name of every Service of the app: short, with the namespace, FQDN."""
    found: dict[str, _Named] = {}
    for tier in app.tiers:
        for service in tier.services:
            name, namespace = service.meta.name, service.meta.namespace
            for form in (
                name,
                f"{name}.{namespace}",
                f"{name}.{namespace}.svc",
                f"{name}.{namespace}.svc.{app.cluster_domain}",
            ):
                found.setdefault(form, _Named(tier, service))
    return found


def _named(value: str, names: dict[str, _Named]) -> Iterator[tuple[_Named, re.Match[str]]]:
    """The Services that the literal parts of ``value`` name, once each."""
    seen: set[str] = set()
    for part in _literal_parts(value):
        for match in _HOST.finditer(part):
            host = match["host"]
            named = names.get(host) or names.get(host.partition(".")[2])  # pod.service
            if named is not None and named.service.meta.name not in seen:
                seen.add(named.service.meta.name)
                yield named, match


def _literal_parts(value: str) -> list[str]:
    """The text of ``value`` around its references (a cut one is reported elsewhere)."""
    if not composed.holds_reference(value):
        return [value]
    try:
        return [p for p in composed.split(value) if isinstance(p, str)]
    except ValueError:
        return [composed.literal(value)]


def _literal(env: str, value: str, named: _Named, match: re.Match[str]) -> str:
    service = named.service.meta.name
    return (
        f"'{composed.literal(value)}' names the app's Service '{service}' (tier "
        f"'{named.tier.name}') as text, so the NetworkPolicies do not open the connection. "
        f"Reference it: env={{'{env}': {_reference(value, named, match)}}}, or, when the "
        f"image has the name built in, declare calls=[{_endpoint(named.tier, named.service)}]"
    )


def _reference(value: str, named: _Named, match: re.Match[str]) -> str:
    """The reference to write instead of the literal: ``orders.url(path='/api')``,
    ``inventory.address(80)``, ``cache.host``, or an f-string holding one."""
    endpoint = _endpoint(named.tier, named.service)
    port = match["port"]
    whole = _whole_url(value, match)
    if whole is not None:
        return f"{endpoint}.url({whole})"
    expression = f"{endpoint}.address({port})" if port is not None else f"{endpoint}.host"
    if match.start() == 0 and match.end() == len(value):
        return expression
    text = composed.literal(value)
    start = text.find(match.group(0))
    rest = text[start + len(match.group(0)) :]
    return f'f"{text[:start]}{{{expression}}}{rest}"'


def _whole_url(value: str, match: re.Match[str]) -> str | None:
    """The arguments of ``url()`` when ``value`` is just ``scheme://host[:port][/path]``."""
    scheme, sep, _ = value.partition("://")
    if (
        not sep
        or match.start() != len(scheme) + 3
        or not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme)
    ):
        return None
    path = value[match.end() :]
    if path and not path.startswith("/"):
        return None
    args = [] if scheme == "http" else [f"scheme='{scheme}'"]
    if match["port"] is not None:
        args.append(f"port={match['port']}")
    if path:
        args.append(f"path='{path}'")
    return ", ".join(args)
