"""HTTPRoutes: their paths resolved to tiers' Service ports, like an Ingress's."""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.base import problems
from tiers.model.ingress import IngressPath
from tiers.model.route import HTTPRoute
from tiers.resolve.backends import Scope, resolve_path

PATH_TYPES = {"Prefix": "PathPrefix", "Exact": "Exact"}


def resolve_routes(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Resolve the tiers' HTTPRoutes, then the app's, into ``result.routes``."""
    tiers = {id(tier): resolved for tier, resolved in pairs}
    for tier, resolved in pairs:
        if tier.route is not None:
            namespace = tier.route.namespace or resolved.namespace
            scope = Scope("HTTPRoute", tier.route, tier, namespace, "route", tiers, diagnostics)
            route = _resolve(scope, f"{tier.name}-route", resolved.workload.meta.labels)
            resolved.routes.append(route)
            result.routes.append(route)
    for spec in app.routes:
        if problems(spec) or any(problems(p) for p in spec.paths) or problems(spec.gateway):
            continue
        namespace = spec.namespace or app.namespace
        scope = Scope("HTTPRoute", spec, None, namespace, "", tiers, diagnostics)
        labels = {
            "app.kubernetes.io/instance": app.name,
            "app.kubernetes.io/part-of": app.name,
            "app.kubernetes.io/managed-by": "tiers",
        }
        result.routes.append(_resolve(scope, None, labels))


def _resolve(
    scope: Scope[HTTPRoute], default_name: str | None, labels: dict[str, str]
) -> ir.HTTPRoute:
    spec = scope.spec
    name = spec.name or default_name
    if name is None:
        scope.report("name", "an HTTPRoute added to the app needs a name: HTTPRoute('shop', ...)")
        name = ""
    gateway = spec.gateway
    return ir.HTTPRoute(
        meta=ir.Meta(name, scope.namespace, {**labels, **spec.labels}, dict(spec.annotations)),
        parents=[ir.GatewayParent(gateway.name, gateway.namespace, gateway.section_name)],
        hostnames=list(spec.hostnames),
        paths=[_path(scope, p, f"paths[{i}]") for i, p in enumerate(spec.paths)],
        tier=scope.owner.name if scope.owner else None,
        origin=scope.origin,
        location=scope.location,
    )


def _path(scope: Scope[HTTPRoute], path: IngressPath | str, origin: str) -> ir.IngressPath:
    resolved = resolve_path(scope, path, origin)
    gateway_type = PATH_TYPES.get(resolved.path_type)
    if gateway_type is None:
        scope.report(
            f"{origin}.path_type",
            f"an HTTPRoute path is Prefix or Exact, not {resolved.path_type}",
        )
        gateway_type = resolved.path_type
    resolved.path_type = gateway_type
    return resolved
