"""Checks of Kubernetes names: each kind of object has its own rule, and names
must be unique where Kubernetes needs them to be."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model.base import defined_at, problems

STATEFULSET_NAME_LIMIT = 52
"""The controller-revision-hash label (name + '-' + 10 characters) must fit in 63."""

SERVICE_SUFFIX = "-service"


def _invalid(what: str, value: str, reason: str, example: str, why: str = "") -> str:
    hint = f" For example '{example}'." if example and example != value else ""
    because = f" ({why})" if why else ""
    return f"'{value}' is not a valid {what}{because}: {reason}.{hint}"


def check_tier_names(context: Context) -> Iterator[Diagnostic]:
    """A tier's name is a DNS-1123 label: it names the workload, its container,
    its default Service and the ``app.kubernetes.io/name`` label."""
    for tier in context.resolved.tiers:
        reason = rules.dns1123_label(tier.name)
        if reason:
            why = "it names the tier's workload, container and Service"
            example = rules.suggest_name(tier.name)
            message = _invalid("tier name", tier.name, reason, example, why)
            yield context.error("tier-name", message, tier, "name")


def check_workload_names(context: Context) -> Iterator[Diagnostic]:
    """Deployment names are DNS-1123 subdomains; StatefulSet names at most 52 characters."""
    for tier in context.resolved.tiers:
        workload = tier.workload
        explicit = _explicit(context, tier, "workload_name")
        if not explicit and rules.dns1123_label(tier.name):
            continue  # the tier's name is reported on its own
        limit = STATEFULSET_NAME_LIMIT if workload.kind == "StatefulSet" else 253
        reason = rules.dns1123_subdomain(workload.meta.name, limit)
        if reason:
            field = "workload_name" if explicit else "name"
            example = rules.suggest_name(workload.meta.name, limit)
            what = f"{workload.kind} name"
            yield context.error(
                "workload-name", _invalid(what, workload.meta.name, reason, example), tier, field
            )


def check_container_names(context: Context) -> Iterator[Diagnostic]:
    """Container names are DNS-1123 labels."""
    for tier in context.resolved.tiers:
        if not _explicit(context, tier, "container_name"):
            continue
        for container in tier.workload.containers[:1]:  # sidecars: see checks/containers.py
            reason = rules.dns1123_label(container.name)
            if reason:
                example = rules.suggest_name(container.name)
                message = _invalid("container name", container.name, reason, example)
                yield context.error("container-name", message, tier, "container_name")


def check_service_names(context: Context) -> Iterator[Diagnostic]:
    """Service names are DNS-1035 labels: a letter first, at most 63 characters."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            name = service.meta.name
            field = _service_name_field(context, tier, service)
            if field == "name" and rules.dns1123_label(tier.name):
                continue  # the tier's name is reported on its own
            reason = rules.dns1035_label(name)
            if reason:
                example = rules.suggest_name(name, letter_first=True)
                message = _invalid("Service name", name, reason, example)
                if field == "name":
                    message += (
                        " It is made from the tier's name: set service_name=... or rename the tier."
                    )
                yield context.error("service-name", message, tier, field)


def _service_name_field(context: Context, tier: ir.Tier, service: ir.Service) -> str:
    if service.origin:
        return f"{service.origin}.name"
    return "service_name" if _explicit(context, tier, "service_name") else "name"


def check_namespaces(context: Context) -> Iterator[Diagnostic]:
    """Namespaces are DNS-1123 labels: the app's, and any tier's own."""
    app = context.resolved
    reason = rules.dns1123_label(app.namespace)
    if reason:
        example = rules.suggest_name(app.namespace)
        message = _invalid("Namespace name", app.namespace, reason, example)
        yield error("namespace", f"app '{app.name}', namespace: {message}", location=app.location)
    for tier in app.tiers:
        if _explicit(context, tier, "namespace"):
            reason = rules.dns1123_label(tier.namespace)
            if reason:
                example = rules.suggest_name(tier.namespace)
                message = _invalid("Namespace name", tier.namespace, reason, example)
                yield context.error("namespace", message, tier, "namespace")


def check_app_name(context: Context) -> Iterator[Diagnostic]:
    """The app's name is a label value (``app.kubernetes.io/instance`` and ``part-of``)."""
    app = context.resolved
    reason = rules.label_value(app.name)
    if reason:
        example = rules.suggest_name(app.name)
        why = "it is the value of the app.kubernetes.io/instance label"
        message = _invalid("app name", app.name, reason, example, why)
        yield error("app-name", message, location=app.location)


def check_external_services(context: Context) -> Iterator[Diagnostic]:
    """An external Service's name is a Service name and its namespace a Namespace name."""
    for external in context.app.externals:
        if problems(external):
            continue  # reported with the other badly built objects
        for what, value, rule in (
            ("Service name", external.name, rules.dns1035_label),
            ("Namespace name", external.namespace, rules.dns1123_label),
        ):
            if value is None:
                continue  # the app's namespace, checked with the app
            reason = rule(value)
            if reason:
                example = rules.suggest_name(value, letter_first=what == "Service name")
                yield error(
                    "external-service",
                    f"ExternalService {_invalid(what, value, reason, example)}",
                    location=defined_at(external),
                )
        yield from _external_ports(external)


def _external_ports(external: model.ExternalService) -> Iterator[Diagnostic]:
    for port in external.ports:
        number = port if isinstance(port, int) else port.port
        if number not in range(1, 65536):
            where = defined_at(external) if isinstance(port, int) else defined_at(port)
            message = f"ExternalService '{external.name}': {number} is not a port number"
            yield error("external-service", f"{message}: use 1-65535", location=where)


def _explicit(context: Context, tier: ir.Tier, attr: str) -> bool:
    written = context.model(tier)
    return written is not None and getattr(written, attr, None) is not None


def check_duplicate_tiers(context: Context) -> Iterator[Diagnostic]:
    """Tier names are unique in an app."""
    first: dict[str, ir.Tier] = {}
    for tier in sorted(context.resolved.tiers, key=lambda t: t.location):
        seen = first.setdefault(tier.name, tier)
        if seen is not tier:
            yield context.error(
                "duplicate-tier",
                f"another tier is named '{tier.name}' ({seen.location}); "
                "give each tier a name of its own",
                tier,
                "name",
            )


def check_duplicate_objects(context: Context) -> Iterator[Diagnostic]:
    """Workload and Service names are unique per kind in a namespace."""
    owners: dict[tuple[str, str, str], str] = {}
    for tier in sorted(context.resolved.tiers, key=lambda t: t.location):
        named = [(tier.workload.kind, tier.workload.meta, _workload_field(context, tier))]
        named += [
            ("Service", s.meta, _service_name_field(context, tier, s))
            for i, s in enumerate(tier.services)
            if not _unnamed(context, tier, s, i)
        ]
        for kind, meta, field in named:
            owner = owners.setdefault((kind, meta.namespace, meta.name), tier.name)
            if owner != tier.name:
                by = f"tier '{owner}'"
            elif kind == "Service" and _twice(tier, meta):
                by = "another of this tier's Services"
            else:
                continue
            yield context.error(
                "duplicate-name",
                f"{kind} '{meta.name}' is also made by {by} in namespace "
                f"'{meta.namespace}'; give one of them another name",
                tier,
                field,
            )


def _unnamed(context: Context, tier: ir.Tier, service: ir.Service, index: int) -> bool:
    """A Service other than the first without a name: reported when resolved."""
    written = context.locate_object(tier, service.origin) if service.origin else None
    return index > 0 and isinstance(written, model.Service) and written.name is None


def _twice(tier: ir.Tier, meta: ir.Meta) -> bool:
    same = [s for s in tier.services if s.meta.name == meta.name]
    return len(same) > 1 and same[0].meta is not meta


def _workload_field(context: Context, tier: ir.Tier) -> str:
    return "workload_name" if _explicit(context, tier, "workload_name") else "name"
