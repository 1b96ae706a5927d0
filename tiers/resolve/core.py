"""Resolve: turn the app definition into the intermediate representation.

Fills in every default (names, namespaces, labels, selectors, Service ports)
and resolves references into env values through :mod:`tiers.resolve.wiring`. Problems
found on the way (a reference to a tier without a Service, say) are returned
as diagnostics, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiers import ir
from tiers.diagnostics import Diagnostic, error, warning
from tiers.location import Location
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.resolve.containers import add_containers, container_of, container_ports, owners
from tiers.resolve.envfrom import dev_secrets, mount_secret_files
from tiers.resolve.extras import resolve_extras
from tiers.resolve.pods import harden
from tiers.resolve.policies import attach_network_policies
from tiers.resolve.settings import write_secret_settings
from tiers.resolve.stateful import make_stateful
from tiers.resolve.wiring import Wiring

MANAGED_BY = "tiers"


def resolve(app: model.App, broken: set[int] | None = None) -> tuple[ir.App, list[Diagnostic]]:
    """Resolve ``app``; tiers whose ``id`` is in ``broken`` are left out."""
    broken = broken or set()
    tiers = [t for t in app.tiers if id(t) not in broken]
    diagnostics: list[Diagnostic] = []
    resolved = {id(t): _resolve_tier(app, t, diagnostics) for t in tiers}
    wiring = Wiring(app, resolved, broken)
    for tier in tiers:
        workload = resolved[id(tier)].workload
        for origin, owner in owners(tier):
            container = container_of(workload, origin)
            container.env = wiring.env(tier, diagnostics, owner, origin)
            mount_secret_files(tier, workload, origin)
        write_secret_settings(tier, workload, diagnostics)
        wiring.calls(tier, diagnostics)
    order = wiring.order([resolved[id(t)] for t in tiers])
    result = ir.App(
        name=app.name,
        namespace=app.namespace,
        cluster_domain=app.cluster_domain,
        tiers=order,
        edges=wiring.edges,
        location=defined_at(app),
    )
    resolve_extras(app, [(t, resolved[id(t)]) for t in tiers], result, diagnostics)
    diagnostics += system_namespaces(app, order)
    if app.create_namespace:
        result.namespaces = namespaces(app, order)
    if app.network_policies:
        attach_network_policies(result)
    return result, diagnostics


SYSTEM_PREFIX = "kube-"
"""Namespaces Kubernetes reserves for its own components (``kube-system``,
``kube-public``, ``kube-node-lease``): tiers never emits a Namespace object for them."""


def _names(app: model.App, tiers: list[ir.Tier]) -> dict[str, None]:
    return dict.fromkeys([app.namespace, *sorted({t.namespace for t in tiers})])


def system_namespaces(app: model.App, tiers: list[ir.Tier]) -> list[Diagnostic]:
    """A warning for each namespace of the app that Kubernetes reserves (``kube-*``)."""
    return [_system_namespace(app, name) for name in _names(app, tiers) if _is_system(name)]


def namespaces(app: model.App, tiers: list[ir.Tier]) -> list[ir.Namespace]:
    """The app's Namespace and those of its tiers, labelled to enforce the
    restricted Pod Security Standard (the checks of the emitted pods lower
    ``enforce`` to the level they need, see :mod:`tiers.checks.emitted`) and
    always to audit and warn against restricted. No Namespace object for a
    namespace Kubernetes reserves (``kube-*``), whose labels are not the app's
    to set (see :func:`system_namespaces`)."""
    names = _names(app, tiers)
    return [
        ir.Namespace(ir.Meta(n, "", _namespace_labels(app, "restricted")))
        for n in names
        if not _is_system(n)
    ]


def _is_system(name: str) -> bool:
    return name.startswith(SYSTEM_PREFIX)


def _system_namespace(app: model.App, name: str) -> Diagnostic:
    return warning(
        "system-namespace",
        f"'{name}' is a namespace Kubernetes keeps for its own components (kube-*), "
        "with their privileges and credentials beside the app's pods; tiers emits no "
        "Namespace object for it (its labels are not the app's to set). "
        f"Give the app a namespace of its own (App({app.name!r}, namespace={app.name!r}))",
        field="namespace",
        location=defined_at(app),
    )


def _namespace_labels(app: model.App, enforce: str) -> dict[str, str]:
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "app.kubernetes.io/part-of": app.name,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }


def recommended_labels(app: model.App, tier: model.Tier) -> dict[str, str]:
    """The ``app.kubernetes.io/*`` labels every object of ``tier`` carries."""
    return {
        "app.kubernetes.io/name": tier.name,
        "app.kubernetes.io/instance": app.name,
        "app.kubernetes.io/component": tier.component or tier.default_component or tier.name,
        "app.kubernetes.io/part-of": app.name,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    }


def selector_labels(app: model.App, tier: model.Tier) -> dict[str, str]:
    """The labels the tier's Services select: small, stable, never a version."""
    if tier.selector is not None:
        return dict(tier.selector)
    return {"app.kubernetes.io/name": tier.name, "app.kubernetes.io/instance": app.name}


def _resolve_tier(app: model.App, tier: model.Tier, diagnostics: list[Diagnostic]) -> ir.Tier:
    namespace = tier.namespace or app.namespace
    labels = {**recommended_labels(app, tier), **tier.labels}
    selector = selector_labels(app, tier)
    ports = container_ports(tier.ports)
    container = ir.Container(
        name=tier.container_name or tier.name,
        image=tier.image,
        command=list(tier.command) if tier.command is not None else None,
        args=list(tier.args) if tier.args is not None else None,
        ports=ports,
        env=[],
        image_pull_policy=tier.image_pull_policy,
    )
    workload = ir.Workload(
        kind="Deployment",
        meta=ir.Meta(tier.workload_name or tier.name, namespace, labels, dict(tier.annotations)),
        replicas=tier.replicas,
        selector=selector,
        pod_labels=labels if selector.items() <= labels.items() else {**labels, **selector},
        containers=[container],
        termination_grace_period_seconds=tier.termination_grace_period_seconds,
    )
    others = add_containers(tier, workload)
    services = [
        _resolve_service(tier, spec, index, namespace, labels, selector, ports, diagnostics)
        for index, spec in enumerate(service_specs(tier))
    ]
    resolved = ir.Tier(
        name=tier.name,
        kind=tier.kind,
        namespace=namespace,
        workload=workload,
        services=services,
        location=defined_at(tier),
        patches=[
            ir.Patch(p.kind, p.name, p.patch, f"patches[{i}]") for i, p in enumerate(tier.patches)
        ],
        secrets=dev_secrets(tier, workload.meta),
    )
    harden(tier, resolved, diagnostics, others)
    make_stateful(tier, resolved, _ports_from_containers(ports), diagnostics)
    return resolved


@dataclass(slots=True)
class ServiceSpec:
    """A Service as the user asked for it, before defaults: explicit or from the shortcut."""

    name: str | None
    type: str
    headless: bool
    ports: list[ir.ServicePort] | None
    labels: dict[str, str]
    annotations: dict[str, str]
    origin: str
    location: Location


def service_specs(tier: model.Tier) -> list[ServiceSpec]:
    """The tier's Services as asked for, with the field each came from.

    The shortcut fields (``port``, ``target_port``, ``service``,
    ``service_name``) make one Service whose origin is ``""``.
    """
    if tier.services is not None:
        return [_explicit_spec(s, f"services[{i}]") for i, s in enumerate(tier.services)]
    if tier.service == "None":
        return []
    ports = None
    if tier.port is not None:
        target = tier.target_port
        if target is None:
            target = _default_target(tier, tier.port)
        ports = [ir.ServicePort(None, tier.port, target, "TCP")]
    kind = "ClusterIP" if tier.service == "Headless" else tier.service
    headless = tier.service == "Headless"
    return [ServiceSpec(tier.service_name, kind, headless, ports, {}, {}, "", defined_at(tier))]


def _explicit_spec(service: model.Service, origin: str) -> ServiceSpec:
    ports = None
    if service.ports is not None:
        ports = [
            ir.ServicePort(
                name=p.name,
                port=p.port,
                target_port=p.target_port if p.target_port is not None else p.port,
                protocol=p.protocol,
                node_port=p.node_port,
                origin=f"{origin}.ports[{i}]",
            )
            for i, p in enumerate(service.ports)
        ]
    return ServiceSpec(
        service.name,
        service.type,
        service.headless,
        ports,
        dict(service.labels),
        dict(service.annotations),
        origin,
        defined_at(service),
    )


def _default_target(tier: model.Tier, port: int) -> int:
    """The shortcut Service's target: the container port ``port`` itself when
    the tier has one of that number, else its first container port (else
    ``port``), so that ``port=9042`` beside ``Port(7000)`` and ``Port(9042)``
    reaches 9042."""
    numbers = [p if isinstance(p, int) else p.number for p in tier.ports or []]
    if port in numbers or not numbers:
        return port
    return numbers[0]


def _resolve_service(
    tier: model.Tier,
    spec: ServiceSpec,
    index: int,
    namespace: str,
    labels: dict[str, str],
    selector: dict[str, str],
    ports: list[ir.ContainerPort],
    diagnostics: list[Diagnostic],
) -> ir.Service:
    name = spec.name
    if name is None:
        name = f"{tier.name}-service"
        if index > 0:
            diagnostics.append(
                error(
                    "service-name-required",
                    "only a tier's first Service may leave its name out; name this one "
                    f"(for example Service('{tier.name}-{index}', ...))",
                    tier=tier.name,
                    field=f"{spec.origin}.name",
                    location=spec.location,
                )
            )
    return ir.Service(
        meta=ir.Meta(
            name,
            namespace,
            {**labels, **spec.labels} if spec.labels else labels,
            {**tier.annotations, **spec.annotations},
        ),
        type=spec.type,
        headless=spec.headless,
        selector=selector,
        ports=spec.ports if spec.ports is not None else _ports_from_containers(ports),
        origin=spec.origin,
    )


def _ports_from_containers(ports: list[ir.ContainerPort]) -> list[ir.ServicePort]:
    several = len(ports) > 1
    return [
        ir.ServicePort(
            name=p.name or (f"{p.protocol.lower()}-{p.number}" if several else None),
            port=p.number,
            target_port=p.number,
            protocol=p.protocol,
            origin=p.origin,
        )
        for p in ports
    ]
