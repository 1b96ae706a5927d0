"""Checks of Ingresses: hosts, paths, names, and routes given twice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_IP = re.compile(r"^[0-9.]+$|:")


def is_dns_subdomain(name: str) -> bool:
    """RFC 1123 subdomain: lowercase labels joined by dots, 253 characters at most."""
    return 0 < len(name) <= 253 and all(
        len(label) <= 63 and DNS_LABEL.match(label) for label in name.split(".")
    )


def _where(ingress: ir.Ingress, field: str) -> dict[str, object]:
    named = ingress.tier is None and ingress.meta.name
    subject = f"Ingress '{ingress.meta.name}', " if named else ""
    return {
        "tier": ingress.tier,
        "field": subject + ir.field_path(ingress.origin, field),
        "location": ingress.location,
    }


def host_problem(host: str) -> str | None:
    """Why ``host`` cannot be an Ingress host, or ``None`` when it can."""
    if _IP.search(host):
        return "an Ingress host is a DNS name, not an IP address or host:port"
    name = host[2:] if host.startswith("*.") else host
    if "*" in name:
        return "a wildcard is allowed only as the whole first label ('*.example.com')"
    if not is_dns_subdomain(name):
        return "not a valid DNS name (lowercase letters, digits, '-' and '.')"
    return None


def check_ingress_hosts(context: Context) -> Iterator[Diagnostic]:
    """Every host is a DNS name; a wildcard only as the first label."""
    for ingress in context.resolved.ingresses:
        for rule in ingress.rules:
            problem = None if rule.host is None else host_problem(rule.host)
            if problem:
                field = ir.field_path(rule.origin, "host")
                yield error("ingress-host", f"'{rule.host}': {problem}", **_where(ingress, field))


def check_ingress_paths(context: Context) -> Iterator[Diagnostic]:
    """Every path starts with ``/``."""
    for ingress in context.resolved.ingresses:
        for rule in ingress.rules:
            for path in rule.paths:
                if not path.path.startswith("/"):
                    yield error(
                        "ingress-path",
                        f"'{path.path}' must start with '/'. Did you mean '/{path.path}'?",
                        **_where(ingress, path.origin),
                    )


def check_ingress_names(context: Context) -> Iterator[Diagnostic]:
    """The Ingress, its TLS Secret and its class have valid object names."""
    for ingress in context.resolved.ingresses:
        named = [
            ("name", ingress.meta.name),
            ("tls_secret", ingress.tls_secret),
            ("ingress_class", ingress.ingress_class),
        ]
        for field, value in named:
            if value is not None and value and not is_dns_subdomain(value):
                yield error(
                    "ingress-name",
                    f"'{value}' is not a valid object name (lowercase letters, digits, "
                    "'-' and '.', at most 253 characters)",
                    **_where(ingress, field),
                )


def check_ingress_conflicts(context: Context) -> Iterator[Diagnostic]:
    """No host and path is routed twice (by one Ingress or by two)."""
    seen: dict[tuple[str, str | None, str, str], str] = {}
    for ingress in context.resolved.ingresses:
        for rule in ingress.rules:
            for path in rule.paths:
                key = (ingress.meta.namespace, rule.host, path.path, path.path_type)
                if key not in seen:
                    seen[key] = ingress.meta.name
                    continue
                host = rule.host or "any host"
                yield error(
                    "ingress-conflict",
                    f"{path.path_type} path '{path.path}' on {host} is already routed by "
                    f"Ingress '{seen[key]}'; route each path once",
                    **_where(ingress, path.origin),
                )
