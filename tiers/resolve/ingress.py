"""Ingresses: rules and paths resolved to tiers' Service ports (and the
container ports behind them), and where the ingress controller runs."""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.base import problems
from tiers.model.ingress import Ingress, IngressPath, IngressRule
from tiers.resolve.backends import Scope, resolve_path


def resolve_ingresses(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Resolve the tiers' Ingresses, then the app's, into ``result.ingresses``."""
    controller = app.ingress_controller
    result.ingress_controller = ir.IngressController(
        controller.namespace, dict(controller.pod_labels), controller.ingress_class
    )
    tiers = {id(tier): resolved for tier, resolved in pairs}
    for tier, resolved in pairs:
        if tier.ingress is not None:
            namespace = tier.ingress.namespace or resolved.namespace
            scope = Scope("Ingress", tier.ingress, tier, namespace, "ingress", tiers, diagnostics)
            ingress = _resolve(scope, result, f"{tier.name}-ingress", resolved.workload.meta.labels)
            resolved.ingresses.append(ingress)
            result.ingresses.append(ingress)
    for spec in app.ingresses:
        if _broken(spec):
            continue
        scope = Scope(
            "Ingress", spec, None, spec.namespace or app.namespace, "", tiers, diagnostics
        )
        result.ingresses.append(_resolve(scope, result, None, _app_labels(app)))


def _app_labels(app: model.App) -> dict[str, str]:
    return {
        "app.kubernetes.io/instance": app.name,
        "app.kubernetes.io/part-of": app.name,
        "app.kubernetes.io/managed-by": "tiers",
    }


def _broken(obj: object) -> bool:
    if problems(obj):
        return True
    if isinstance(obj, Ingress):
        return any(_broken(x) for x in [*(obj.rules or []), *(obj.paths or [])])
    if isinstance(obj, IngressRule):
        return any(_broken(x) for x in obj.paths)
    return False


def _resolve(
    scope: Scope[Ingress], result: ir.App, default_name: str | None, labels: dict[str, str]
) -> ir.Ingress:
    spec = scope.spec
    name = spec.name or default_name
    if name is None:
        scope.report("name", "an Ingress added to the app needs a name: Ingress('shop', ...)")
        name = ""
    return ir.Ingress(
        meta=ir.Meta(
            name,
            scope.namespace,
            {**labels, **spec.labels},
            dict(spec.annotations),
        ),
        ingress_class=spec.ingress_class or result.ingress_controller.ingress_class,
        tls_secret=spec.tls_secret,
        rules=_rules(scope),
        tier=scope.owner.name if scope.owner else None,
        origin=scope.origin,
        location=scope.location,
    )


def _rules(scope: Scope[Ingress]) -> list[ir.IngressRule]:
    spec = scope.spec
    if spec.rules is None:
        return [_rule(scope, spec.host, spec.paths if spec.paths is not None else ["/"], "")]
    if spec.host is not None or spec.paths is not None:
        scope.report("rules", "give either host=/paths= (one rule) or rules=[...], not both")
    return [_rule(scope, r.host, r.paths, f"rules[{i}].") for i, r in enumerate(spec.rules)]


def _rule(
    scope: Scope[Ingress], host: str | None, paths: list[IngressPath | str], prefix: str
) -> ir.IngressRule:
    resolved = [resolve_path(scope, p, f"{prefix}paths[{i}]") for i, p in enumerate(paths)]
    return ir.IngressRule(host, resolved, prefix.rstrip("."))
