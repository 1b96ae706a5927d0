"""Checks of Services: what they forward to and what they select."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean
from tiers.model import app as model
from tiers.model.base import given


def check_target_ports(context: Context) -> Iterator[Diagnostic]:
    """Every targetPort is a container port of the selected pods, by number or name."""
    for tier in context.resolved.tiers:
        ports = [p for c in tier.workload.serving_containers() for p in c.ports]
        numbers = {p.number for p in ports}
        names = {p.name for p in ports if p.name}
        for service in tier.services:
            for port in service.ports:
                target = port.target_port
                if target in numbers or target in names:
                    continue
                field = ir.field_path(port.origin, "target_port")
                message = _init_port_message(tier, target) or _target_message(target, ports)
                yield context.error("service-target-port", message, tier, field)


def _init_port_message(tier: ir.Tier, target: int | str) -> str:
    """Why a port of an init container cannot be targeted, when it is one."""
    serving = tier.workload.serving_containers()
    for container in (c for c in tier.workload.init_containers if c not in serving):
        if any(target in (p.number, p.name) for p in container.ports):
            return (
                f"{target!r} is a port of {container.origin}, which exits before the pod "
                "serves: target a port of a container that keeps running (a sidecar "
                "with native_sidecar=True keeps running)"
            )
    return ""


def _target_message(target: int | str, ports: list[ir.ContainerPort]) -> str:
    if not ports:
        return (
            f"{target} is not a port of any container: the tier has no container ports. "
            f"Add ports=[{target if isinstance(target, int) else 8080}]"
        )
    listed = ", ".join(f"{p.number} ({p.name})" if p.name else str(p.number) for p in ports)
    if isinstance(target, str):
        names = [p.name for p in ports if p.name]
        hint = did_you_mean(target, names) or " Use a container port's name or number."
        return (
            f"'{target}' is not the name of any container port (container ports: {listed}).{hint}"
        )
    hint = f" Did you mean {ports[0].number}?" if len(ports) == 1 else ""
    if not hint:
        close = did_you_mean(str(target), [str(p.number) for p in ports])
        hint = close.replace("'", "")
    return f"{target} is not a port of any container (container ports: {listed}).{hint}"


def check_selectors(context: Context) -> Iterator[Diagnostic]:
    """Each Service selects the pods of its own tier and of no other."""
    tiers = context.resolved.tiers
    by_label: dict[tuple[str, str, str], list[ir.Tier]] = {}
    for tier in tiers:
        for key, value in tier.workload.pod_labels.items():
            by_label.setdefault((tier.namespace, key, value), []).append(tier)
    for tier in tiers:
        for service in tier.services:
            others = _selected(service, tier.namespace, by_label) - {tier.name}
            if others:
                message = (
                    f"Service '{service.meta.name}' also selects the pods of tier "
                    f"{', '.join(repr(o) for o in sorted(others))}: "
                    "give each tier selector labels of its own"
                )
                yield context.error("service-selects-other-tier", message, tier, "selector")


def _selected(
    service: ir.Service, namespace: str, by_label: dict[tuple[str, str, str], list[ir.Tier]]
) -> set[str]:
    if not service.selector:
        return set()
    candidates = min(
        (by_label.get((namespace, k, v), []) for k, v in service.selector.items()), key=len
    )
    return {
        t.name
        for t in candidates
        if all(t.workload.pod_labels.get(k) == v for k, v in service.selector.items())
    }


NODE_PORT_RANGE = range(30000, 32768)
SHORTCUT_FIELDS = ("service", "service_name", "port", "target_port")
DATABASE_COMPONENT = "database"


def check_service_has_ports(context: Context) -> Iterator[Diagnostic]:
    """A Service has at least one port, unless it is headless."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            if service.ports or service.headless:
                continue
            written = context.locate_object(tier, service.origin) if service.origin else None
            if isinstance(written, model.Service) and written.ports is not None:
                message = (
                    f"Service '{service.meta.name}' has no ports; only a headless Service "
                    "may have none. Add ports=[ServicePort(80, target_port=8080)]"
                )
                field = ir.field_path(service.origin, "ports")
            else:
                message = (
                    f"Service '{service.meta.name}' would have no ports: the tier has no "
                    "container ports. Add ports=[8080] (the ports the container listens on), "
                    'or service="None" when nothing connects to this tier'
                )
                field = service.origin or "ports"
            yield context.error("service-no-ports", message, tier, field)


def check_service_port_numbers(context: Context) -> Iterator[Diagnostic]:
    """Service ports are in 1-65535."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            for port in service.ports:
                derived = not port.origin.startswith("services") and bool(port.origin)
                if port.port not in range(1, 65536) and not derived:
                    message = f"{port.port} is not a port number: use 1-65535"
                    field = ir.field_path(port.origin, "port")
                    yield context.error("service-port-range", message, tier, field)


def check_service_port_names(context: Context) -> Iterator[Diagnostic]:
    """A Service's port names are DNS-1123 labels, required and unique when it
    has several ports."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            yield from _port_names(context, tier, service)


def _port_names(context: Context, tier: ir.Tier, service: ir.Service) -> Iterator[Diagnostic]:
    seen: dict[str, ir.ServicePort] = {}
    several = len(service.ports) > 1
    for port in service.ports:
        field = ir.field_path(port.origin, "name")
        if port.name is None:
            if several:
                message = (
                    f"Service '{service.meta.name}' has {len(service.ports)} ports, so each "
                    f"needs a name: add name='{_suggest_port_name(port)}'"
                )
                yield context.error("service-port-name-required", message, tier, field)
            continue
        derived = bool(port.origin) and not port.origin.startswith("services")
        reason = None if derived else rules.dns1123_label(port.name)
        if reason:
            message = f"'{port.name}' is not a valid Service port name: {reason}"
            yield context.error("service-port-name", message, tier, field)
        if seen.setdefault(port.name, port) is not port:
            message = (
                f"Service '{service.meta.name}' already has a port named '{port.name}' "
                f"({seen[port.name].origin}); give each port a name of its own"
            )
            yield context.error("service-port-name-duplicate", message, tier, field)


def _suggest_port_name(port: ir.ServicePort) -> str:
    return f"{port.protocol.lower()}-{port.port}"


def check_unique_service_ports(context: Context) -> Iterator[Diagnostic]:
    """No two ports of a Service share a port number and protocol."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            seen: dict[tuple[int, str], ir.ServicePort] = {}
            for port in service.ports:
                first = seen.setdefault((port.port, port.protocol), port)
                if first is not port:
                    message = (
                        f"Service '{service.meta.name}' already has port {port.port}/"
                        f"{port.protocol} ({first.origin or 'port'}); list each port once"
                    )
                    field = ir.field_path(port.origin, "port")
                    yield context.error("service-port-duplicate", message, tier, field)


def check_headless(context: Context) -> Iterator[Diagnostic]:
    """Only a ClusterIP Service can be headless."""
    for tier in context.resolved.tiers:
        for service in tier.services:
            if service.headless and service.type != "ClusterIP":
                message = (
                    f"a {service.type} Service cannot be headless (clusterIP: None); "
                    "use type='ClusterIP' with headless=True, or drop headless=True"
                )
                field = ir.field_path(service.origin, "headless")
                yield context.error("service-headless", message, tier, field)


def check_node_ports(context: Context) -> Iterator[Diagnostic]:
    """A nodePort is for NodePort and LoadBalancer Services, in 30000-32767, and
    used by one Service of the app only."""
    used: dict[int, tuple[str, str]] = {}
    for tier in context.resolved.tiers:
        for service in tier.services:
            for port in service.ports:
                if port.node_port is not None:
                    yield from _node_port(context, tier, service, port, used)


def _node_port(
    context: Context,
    tier: ir.Tier,
    service: ir.Service,
    port: ir.ServicePort,
    used: dict[int, tuple[str, str]],
) -> Iterator[Diagnostic]:
    number = port.node_port
    assert number is not None
    field = ir.field_path(port.origin, "node_port")
    if service.type not in ("NodePort", "LoadBalancer"):
        message = (
            f"a {service.type} Service has no node ports; use type='NodePort' "
            "(or 'LoadBalancer'), or drop node_port"
        )
        yield context.error("node-port-type", message, tier, field)
    if number not in NODE_PORT_RANGE:
        message = f"{number} is outside the node port range 30000-32767; pick a port in it"
        yield context.error("node-port-range", message, tier, field)
    owner = used.setdefault(number, (tier.name, service.meta.name))
    if owner != (tier.name, service.meta.name):
        message = (
            f"node port {number} is already used by Service '{owner[1]}' of tier "
            f"'{owner[0]}'; each node port can serve one Service. Pick another"
        )
        yield context.error("node-port-duplicate", message, tier, field)


def check_shortcut_with_services(context: Context) -> Iterator[Diagnostic]:
    """The one-Service shortcut fields are not mixed with ``services=[...]``."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None or written.services is None:
            continue
        for name in SHORTCUT_FIELDS:
            if name in given(written):
                message = (
                    f"{name}= is for a tier with one Service and is ignored when services=[...] "
                    f"is given: drop it, and set it on a Service in services=[...] instead"
                )
                yield context.error("service-shortcut-conflict", message, tier, name)


def check_database_exposure(context: Context) -> Iterator[Diagnostic]:
    """Warn when a database is reachable from outside the cluster."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None or written.default_component != DATABASE_COMPONENT:
            continue
        for service in tier.services:
            if service.type in ("NodePort", "LoadBalancer"):
                message = (
                    f"Service '{service.meta.name}' is a {service.type}, which exposes the "
                    f"database outside the cluster; use a ClusterIP Service unless that is meant"
                )
                field = ir.field_path(service.origin, "type") if service.origin else "service"
                yield context.warning("database-exposed", message, tier, field)
