"""Checks of Gateway API HTTPRoutes: hostnames, paths, the Gateway, the limits."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.checks.ingress import DNS_LABEL, host_problem, is_dns_subdomain
from tiers.diagnostics import Diagnostic, error

MAX_HOSTNAMES = 16
MAX_RULES = 16
MAX_MATCHES = 64


def _where(route: ir.HTTPRoute, field: str) -> dict[str, object]:
    named = route.tier is None and route.meta.name
    subject = f"HTTPRoute '{route.meta.name}', " if named else ""
    return {
        "tier": route.tier,
        "field": subject + ir.field_path(route.origin, field),
        "location": route.location,
    }


def check_route_hostnames(context: Context) -> Iterator[Diagnostic]:
    """Every hostname is a DNS name (a wildcard only as the first label), 16 at most."""
    for route in context.resolved.routes:
        for index, host in enumerate(route.hostnames):
            problem = host_problem(host)
            if problem:
                field = f"hostnames[{index}]"
                yield error("route-hostname", f"'{host}': {problem}", **_where(route, field))
        if len(route.hostnames) > MAX_HOSTNAMES:
            yield error(
                "route-limits",
                f"an HTTPRoute takes at most {MAX_HOSTNAMES} hostnames "
                f"(got {len(route.hostnames)}); split it into several",
                **_where(route, "hostnames"),
            )


def check_route_paths(context: Context) -> Iterator[Diagnostic]:
    """Paths start with ``/``; at most 16 backends and 64 paths per backend."""
    for route in context.resolved.routes:
        for path in route.paths:
            if not path.path.startswith("/"):
                yield error(
                    "route-path",
                    f"'{path.path}' must start with '/'. Did you mean '/{path.path}'?",
                    **_where(route, path.origin),
                )
        rules = route.rules()
        if len(rules) > MAX_RULES or any(len(r) > MAX_MATCHES for r in rules):
            yield error(
                "route-limits",
                f"an HTTPRoute takes at most {MAX_RULES} backends and {MAX_MATCHES} paths "
                "per backend; split it into several",
                **_where(route, "paths"),
            )


def check_route_gateway(context: Context) -> Iterator[Diagnostic]:
    """The Gateway's name, namespace and listener are valid names."""
    for route in context.resolved.routes:
        for parent in route.parents:
            named = [
                ("gateway.name", parent.name, is_dns_subdomain),
                ("gateway.namespace", parent.namespace, _is_label),
                ("gateway.section_name", parent.section_name, is_dns_subdomain),
            ]
            for field, value, valid in named:
                if value is not None and not valid(value):
                    yield error(
                        "route-gateway",
                        f"'{value}' is not a valid name (lowercase letters, digits, '-')",
                        **_where(route, field),
                    )


def _is_label(name: str) -> bool:
    return len(name) <= 63 and bool(DNS_LABEL.match(name))
