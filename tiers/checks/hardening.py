"""Checks of what keeps a tier safe: credentials kept out of Git, and
resource quantities that Kubernetes accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.checks.credentials import Found, find_credential, is_placeholder, looks_like_credential
from tiers.diagnostics import Diagnostic, error, warning
from tiers.model.base import defined_at
from tiers.model.quantity import parse_quantity
from tiers.model.secrets import DevSecret
from tiers.resolve.containers import owners


def _written_env(context: Context) -> Iterator[tuple[ir.Tier, str, str, object]]:
    """Every env var as written: (tier, field, name, value), the sidecars' and
    init containers' included (``sidecars[0].env.TOKEN``)."""
    for resolved in context.resolved.tiers:
        tier = context.model(resolved)
        if tier is None:
            continue
        for origin, owner in owners(tier):
            for name, value in owner.env.items():
                yield resolved, ir.field_path(origin, f"env.{name}"), name, value


def check_credential_literals(context: Context) -> Iterator[Diagnostic]:
    """A literal value for a credential-like name (see
    :func:`~tiers.checks.credentials.looks_like_credential`), or a credential
    inside a literal value, would be committed to Git."""
    for tier, field, name, value in _written_env(context):
        if not isinstance(value, str):
            continue
        if looks_like_credential(name) and not is_placeholder(value):
            message = (
                "a literal value here would be committed to Git in plain text. Keep it in a "
                f"Secret managed outside Git: env={{'{name}': SecretKeyRef('{tier.name}-"
                f"secrets', '{name}')}}, created with kubectl create secret generic "
                f"{tier.name}-secrets --from-literal={name}=... (or sealed-secrets, "
                "external-secrets); if the value is not secret, write NotSecret(...) around it"
            )
            yield context.error("credential-literal", message, tier, field)
        elif (found := find_credential(value)) is not None:
            yield context.error("credential-literal", _inside(tier, name, found), tier, field)


def _inside(tier: ir.Tier, name: str, found: Found) -> str:
    secret = f"{tier.name}-secrets"
    return (
        f"{found.what} ({found.masked!r}) would be committed to Git in plain text. Keep "
        f"the value in a Secret managed outside Git: env={{'{name}': SecretKeyRef("
        f"'{secret}', '{name}')}}, or only the credential, written $(VAR) in the value "
        f"with VAR set from SecretKeyRef('{secret}', ...) before it (Kubernetes expands "
        "it); if it is not secret, write NotSecret(...)"
    )


def check_dev_secrets(context: Context) -> Iterator[Diagnostic]:
    """A development Secret puts its value into Git: always say so."""
    for tier, field, _, value in _written_env(context):
        if isinstance(value, DevSecret):
            yield warning(
                "dev-secret",
                "DevSecret writes its value into the generated Secret in plain text, in "
                "Git: use it for development only, and SecretKeyRef for anything real",
                tier=tier.name,
                field=field,
                location=defined_at(value),
            )


def check_resources(context: Context) -> Iterator[Diagnostic]:
    """Every quantity parses, and no request exceeds its limit."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
            if container.resources is not None:
                yield from _resource_problems(context, tier, container.resources)


def _resource_problems(
    context: Context, tier: ir.Tier, resources: ir.Resources
) -> Iterator[Diagnostic]:
    # a sidecar's at its Resources(...) line, the main container's at the tier's
    own = resources.origin == "resources"
    location = context.location(tier) if own else context.locate(tier, resources.origin)
    where = {"tier": tier.name, "location": location}
    values = {}
    for kind, amounts in (("request", resources.requests), ("limit", resources.limits)):
        for resource, text in amounts.items():
            field = f"{resources.origin}.{resource}" + ("_limit" if kind == "limit" else "")
            try:
                values[kind, resource] = parse_quantity(text)
            except ValueError:
                example = "250m" if resource == "cpu" else "256Mi"
                yield error(
                    "resource-quantity",
                    f"{text!r} is not a Kubernetes quantity (for example '{example}')",
                    field=field,
                    **where,
                )
    for resource in ("cpu", "memory"):
        request, limit = values.get(("request", resource)), values.get(("limit", resource))
        if request is not None and limit is not None and request > limit:
            yield error(
                "resource-request-above-limit",
                f"the request {resources.requests[resource]} is above the limit "
                f"{resources.limits[resource]}: raise {resource}_limit or lower {resource}",
                field=f"{resources.origin}.{resource}",
                **where,
            )


def check_storage_sizes(context: Context) -> Iterator[Diagnostic]:
    """Every volume claim's size is a Kubernetes quantity."""
    for tier in context.resolved.tiers:
        for claim in tier.workload.volume_claims:
            try:
                parse_quantity(claim.size)
            except ValueError:
                yield error(
                    "storage-size",
                    f"{claim.size!r} is not a Kubernetes quantity (for example '10Gi')",
                    tier=tier.name,
                    field="storage.size",
                    location=context.location(tier),
                )


_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def check_key_refs(context: Context) -> Iterator[Diagnostic]:
    """Secret and ConfigMap references name a valid object and key."""
    for tier in context.resolved.tiers:
        for var in (v for c in tier.workload.pod_containers() for v in c.env):
            ref = var.value_from
            if ref is None:
                continue
            problem = _key_ref_problem(ref)
            if problem:
                yield error(
                    "env-key-ref",
                    problem,
                    tier=tier.name,
                    field=var.origin,
                    location=context.location(tier),
                )


def _key_ref_problem(ref: ir.KeyRef) -> str:
    if len(ref.name) > 253 or not _DNS_SUBDOMAIN.match(ref.name):
        return (
            f"{ref.name!r} is not a valid {ref.kind} name: lowercase letters, digits, '-' "
            "and '.', starting and ending with a letter or digit"
        )
    if len(ref.key) > 253 or not _CONFIG_KEY.match(ref.key):
        return f"{ref.key!r} is not a valid {ref.kind} key: letters, digits, '-', '_' and '.'"
    return ""
