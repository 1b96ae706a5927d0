"""Ingresses: rules and paths resolved to tiers' Service ports (and the
container ports behind them), and where the ingress controller runs."""

from __future__ import annotations

from dataclasses import dataclass

from tiers import ir, model
from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.ingress import Ingress, IngressPath, IngressRule
from tiers.location import Location
from tiers.modelbase import defined_at, problems
from tiers.refs import PortRef


class _Unresolved(Exception):
    """A path whose backend cannot be resolved; the message says why and how to fix it."""


@dataclass(slots=True)
class _Scope:
    """One Ingress being resolved: where it lives and who declared it."""

    spec: Ingress
    owner: model.Tier | None
    namespace: str
    origin: str
    tiers: dict[int, ir.Tier]
    diagnostics: list[Diagnostic]

    def report(self, field: str, message: str) -> None:
        where = ir.field_path(self.origin, field)
        subject = "" if self.owner else f"{_ingress_name(self.spec.name)}, "
        self.diagnostics.append(
            error(
                "ingress-backend",
                message,
                tier=self.owner.name if self.owner else None,
                field=f"{subject}{where}",
                location=self.location,
            )
        )

    @property
    def location(self) -> Location:
        return defined_at(self.spec)


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
            scope = _Scope(tier.ingress, tier, resolved.namespace, "ingress", tiers, diagnostics)
            ingress = _resolve(scope, result, f"{tier.name}-ingress", resolved.workload.meta.labels)
            resolved.ingresses.append(ingress)
            result.ingresses.append(ingress)
    for spec in app.ingresses:
        if _broken(spec):
            continue
        scope = _Scope(spec, None, spec.namespace or app.namespace, "", tiers, diagnostics)
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
    scope: _Scope, result: ir.App, default_name: str | None, labels: dict[str, str]
) -> ir.Ingress:
    spec = scope.spec
    name = spec.name or default_name
    if name is None:
        scope.report("name", "an Ingress added to the app needs a name: Ingress('shop', ...)")
        name = ""
    return ir.Ingress(
        meta=ir.Meta(
            name,
            spec.namespace or scope.namespace,
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


def _rules(scope: _Scope) -> list[ir.IngressRule]:
    spec = scope.spec
    if spec.rules is None:
        return [_rule(scope, spec.host, spec.paths if spec.paths is not None else ["/"], "")]
    if spec.host is not None or spec.paths is not None:
        scope.report("rules", "give either host=/paths= (one rule) or rules=[...], not both")
    return [_rule(scope, r.host, r.paths, f"rules[{i}].") for i, r in enumerate(spec.rules)]


def _rule(
    scope: _Scope, host: str | None, paths: list[IngressPath | str], prefix: str
) -> ir.IngressRule:
    resolved = [_path(scope, p, f"{prefix}paths[{i}]") for i, p in enumerate(paths)]
    return ir.IngressRule(host, resolved, prefix.rstrip("."))


def _path(scope: _Scope, path: IngressPath | str, origin: str) -> ir.IngressPath:
    text, path_type, ref = (
        (path, "Prefix", None)
        if isinstance(path, str)
        else (path.path, path.path_type, path.backend)
    )
    try:
        backend = _backend(scope, ref)
    except _Unresolved as exc:
        scope.report(origin if isinstance(path, str) else f"{origin}.backend", str(exc))
        backend = ir.IngressBackend("", scope.namespace, "", 0, None, None, {})
    return ir.IngressPath(text, path_type, backend, origin)


def _backend(scope: _Scope, ref: PortRef | None) -> ir.IngressBackend:
    if ref is None:
        if scope.owner is None:
            raise _Unresolved(
                "a path of an Ingress added to the app needs a backend: "
                "IngressPath('/', web.port_ref())"
            )
        ref = PortRef(scope.owner, scope.spec.port)
    tier = _tier(scope, ref)
    service = _service(tier, ref.service)
    port = _service_port(tier, service, ref.port)
    return ir.IngressBackend(
        tier=tier.name,
        namespace=tier.namespace,
        service=service.meta.name,
        service_port=port.port,
        service_port_name=port.name,
        target_port=_container_port(tier, port.target_port),
        selector=dict(service.selector),
    )


def _tier(scope: _Scope, ref: PortRef) -> ir.Tier:
    target = ref.target
    if not isinstance(target, model.Tier):
        raise _Unresolved(
            f"'{target.name}' is a Service managed elsewhere; an Ingress of the app "
            "routes to the app's own tiers"
        )
    tier = scope.tiers.get(id(target))
    if tier is None:
        raise _Unresolved(
            f"tier '{target.name}' is not in the app (or has errors of its own). "
            f"Add it with app.add({target.kind}('{target.name}', ...))"
        )
    if not tier.services:
        raise _Unresolved(
            f"tier '{tier.name}' has no Service for the Ingress to route to. Give it one "
            '(drop service="None", or set services=[...])'
        )
    if tier.namespace != scope.namespace:
        raise _Unresolved(
            f"tier '{tier.name}' is in namespace '{tier.namespace}', the Ingress in "
            f"'{scope.namespace}': an Ingress routes only to Services of its own namespace"
        )
    return tier


def _service(tier: ir.Tier, name: str | None) -> ir.Service:
    if name is None:
        return tier.services[0]
    names = [s.meta.name for s in tier.services]
    for service in tier.services:
        if service.meta.name == name:
            return service
    raise _Unresolved(
        f"tier '{tier.name}' has no Service named '{name}' "
        f"(its Services: {', '.join(names)}).{did_you_mean(name, names)}"
    )


def _service_port(tier: ir.Tier, service: ir.Service, wanted: int | str | None) -> ir.ServicePort:
    if not service.ports:
        raise _Unresolved(f"Service '{service.meta.name}' of tier '{tier.name}' has no ports")
    if wanted is None:
        return service.ports[0]
    for port in service.ports:
        if wanted in (port.port, port.name):
            return port
    listed = ", ".join(f"{p.port} ({p.name})" if p.name else str(p.port) for p in service.ports)
    choices = [str(p.port) for p in service.ports] + [p.name for p in service.ports if p.name]
    hint = did_you_mean(str(wanted), choices)
    if not hint and len(choices) == 1:
        hint = f" Did you mean {choices[0]}?"
    raise _Unresolved(
        f"tier '{tier.name}' exposes no port {wanted!r} on Service '{service.meta.name}' "
        f"(Service ports: {listed}).{hint}"
    )


def _container_port(tier: ir.Tier, target: int | str) -> int | None:
    for container in tier.workload.containers:
        for port in container.ports:
            if target in (port.number, port.name):
                return port.number
    return target if isinstance(target, int) else None


def _ingress_name(name: str | None) -> str:
    return f"Ingress '{name}'" if name else "Ingress"
