"""Paths to tiers' Service ports, shared by Ingresses and HTTPRoutes: each
path's backend resolved to a Service port and the container port behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from tiers import ir
from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.location import Location
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.ingress import IngressPath
from tiers.model.refs import PortRef
from tiers.resolve.wiring import service_port


class Route(Protocol):
    """What a scope needs of an Ingress or an HTTPRoute."""

    @property
    def name(self) -> str | None: ...

    @property
    def port(self) -> int | str | None: ...


class Unresolved(Exception):
    """A path whose backend cannot be resolved; the message says why and how to fix it."""


RouteT = TypeVar("RouteT", bound=Route)


@dataclass(slots=True)
class Scope(Generic[RouteT]):
    """One Ingress or HTTPRoute being resolved: where it lives and who declared it."""

    kind: str
    spec: RouteT
    owner: model.Tier | None
    namespace: str
    origin: str
    tiers: dict[int, ir.Tier]
    diagnostics: list[Diagnostic]

    def report(self, field: str, message: str) -> None:
        where = ir.field_path(self.origin, field)
        name = f"{self.kind} '{self.spec.name}'" if self.spec.name else self.kind
        subject = "" if self.owner else f"{name}, "
        self.diagnostics.append(
            error(
                f"{self.kind.lower()}-backend",
                message,
                tier=self.owner.name if self.owner else None,
                field=f"{subject}{where}",
                location=self.location,
            )
        )

    @property
    def location(self) -> Location:
        return defined_at(self.spec)


def resolve_path(scope: Scope[RouteT], path: IngressPath | str, origin: str) -> ir.IngressPath:
    text, path_type, ref = (
        (path, "Prefix", None)
        if isinstance(path, str)
        else (path.path, path.path_type, path.backend)
    )
    try:
        backend = _backend(scope, ref)
    except Unresolved as exc:
        scope.report(origin if isinstance(path, str) else f"{origin}.backend", str(exc))
        backend = ir.IngressBackend("", scope.namespace, "", 0, None, None, {})
    return ir.IngressPath(text, path_type, backend, origin)


def _backend(scope: Scope[RouteT], ref: PortRef | None) -> ir.IngressBackend:
    if ref is None:
        if scope.owner is None:
            raise Unresolved(
                f"a path of an {scope.kind} added to the app needs a backend: "
                "IngressPath('/', web.port_ref())"
            )
        ref = PortRef(scope.owner, scope.spec.port)
    tier = _tier(scope, ref)
    service = _service(tier, ref.service)
    try:
        port = service_port(tier.name, service, ref.port)
    except LookupError as exc:
        raise Unresolved(str(exc)) from None
    return ir.IngressBackend(
        tier=tier.name,
        namespace=tier.namespace,
        service=service.meta.name,
        service_port=port.port,
        service_port_name=port.name,
        target_port=_container_port(tier, port.target_port),
        selector=service.selector,
    )


def _tier(scope: Scope[RouteT], ref: PortRef) -> ir.Tier:
    target = ref.target
    if not isinstance(target, model.Tier):
        raise Unresolved(
            f"'{target.name}' is a Service managed elsewhere; an {scope.kind} of the app "
            "routes to the app's own tiers"
        )
    tier = scope.tiers.get(id(target))
    if tier is None:
        raise Unresolved(
            f"tier '{target.name}' is not in the app (or has errors of its own). "
            f"Add it with app.add({target.kind}('{target.name}', ...))"
        )
    if not tier.services:
        raise Unresolved(
            f"tier '{tier.name}' has no Service for the {scope.kind} to route to. Give it one "
            '(drop service="None", or set services=[...])'
        )
    if tier.namespace != scope.namespace:
        raise Unresolved(
            f"tier '{tier.name}' is in namespace '{tier.namespace}', the {scope.kind} in "
            f"'{scope.namespace}': an {scope.kind} routes only to Services of its own namespace"
        )
    return tier


def _service(tier: ir.Tier, name: str | None) -> ir.Service:
    if name is None:
        return tier.services[0]
    names = [s.meta.name for s in tier.services]
    for service in tier.services:
        if service.meta.name == name:
            return service
    raise Unresolved(
        f"tier '{tier.name}' has no Service named '{name}' "
        f"(its Services: {', '.join(names)}).{did_you_mean(name, names)}"
    )


def _container_port(tier: ir.Tier, target: int | str) -> int | None:
    for container in tier.workload.serving_containers():
        for port in container.ports:
            if target in (port.number, port.name):
                return port.number
    return target if isinstance(target, int) else None
