"""The Services of a tier: the shortcut (``service``, ``port``, ...) when one
plain Service is what it makes by default or by the shortcut, else ``services=[...]``."""

from __future__ import annotations

import dataclasses
from typing import Any

from tiers.importer.group import Plan, Scope, dig, items
from tiers.importer.labels import generated_labels, leftover
from tiers.importer.rollout import without_rollout
from tiers.importer.stateful import governing
from tiers.model.app import Port, Service, ServicePort, Tier


def service_fields(plan: Plan, scope: Scope) -> dict[str, Any]:
    """The shortcut (``service``, ``port``, ...) for one plain Service, else
    ``services=[...]``; ``service="None"`` without Services."""
    services = [
        _service(plan, scope, s.manifest)
        for s in plan.group.services
        if not governing(plan, s.manifest)
    ]
    if not services:
        return {"service": "None"}
    if len(services) == 1 and _is_default(plan, services[0]) and _default_service(plan.cls):
        return {}
    shortcut = _shortcut(plan, services[0]) if len(services) == 1 else None
    return shortcut if shortcut is not None else {"services": services}


def _default_service(cls: type[Tier]) -> bool:
    """True when the class makes a Service by default (a DaemonSet does not)."""
    return next(f.default for f in dataclasses.fields(cls) if f.name == "service") != "None"


def _is_default(plan: Plan, service: Service) -> bool:
    """True for the Service a tier makes when none is asked for: ``<name>-service``,
    ClusterIP, one port per container port, with its number and name."""
    plain = not (service.headless or service.labels or service.annotations)
    if service.name != f"{plan.name}-service" or service.type != "ClusterIP" or not plain:
        return False
    if next(f.default for f in dataclasses.fields(plan.cls) if f.name == "port") is not None:
        return False  # Backend, Frontend: one Service port 80 by default
    ports = [p if isinstance(p, Port) else Port(p) for p in plan.kwargs["ports"]]
    several = len(ports) > 1
    expected = [
        (p.number, p.name or (f"{p.protocol.lower()}-{p.number}" if several else None), p.protocol)
        for p in ports
    ]
    given = [
        (p.port, p.name, p.protocol)
        for p in service.ports or []
        if p.target_port is None and p.node_port is None
    ]
    return bool(expected) and given == expected and len(given) == len(service.ports or [])


def _service(plan: Plan, scope: Scope, manifest: dict[str, Any]) -> Service:
    spec = manifest.get("spec") or {}
    generated = {**generated_labels(plan, scope), **plan.kwargs["labels"]}
    return Service(
        str(dig(manifest, "metadata", "name")),
        type=spec.get("type", "ClusterIP"),
        headless=spec.get("clusterIP") == "None",
        ports=[_service_port(p) for p in service_ports(manifest)],
        labels=leftover(dig(manifest, "metadata", "labels"), generated),
        annotations=without_rollout(leftover(dig(manifest, "metadata", "annotations"), {})),
    )


def _service_port(p: dict[str, Any]) -> ServicePort:
    target = p.get("targetPort")
    return ServicePort(
        p.get("port", 0),
        target_port=None if target == p.get("port") else target,
        name=p.get("name") if isinstance(p.get("name"), str) else None,
        protocol=p.get("protocol", "TCP"),
        node_port=p.get("nodePort"),
    )


def _shortcut(plan: Plan, service: Service) -> dict[str, Any] | None:
    ports = service.ports or []
    if service.labels or service.annotations or len(ports) > 1:
        return None
    if ports and (ports[0].name or ports[0].protocol != "TCP" or ports[0].node_port):
        return None
    kind = "Headless" if service.headless else service.type
    if service.headless and service.type != "ClusterIP":
        return None
    default_name = f"{plan.name}-service"
    name = service.name if service.name != default_name else None
    result: dict[str, Any] = {"service": kind, "service_name": name}
    if ports:
        first = plan.kwargs["ports"][0] if plan.kwargs["ports"] else None
        number = first if isinstance(first, int) else getattr(first, "number", None)
        target = ports[0].target_port if ports[0].target_port is not None else ports[0].port
        result["port"] = ports[0].port
        result["target_port"] = None if target == (number or ports[0].port) else target
        if plan.kwargs["ports"] == [ports[0].port] and target == ports[0].port:
            result["port"] = None  # the default: one Service port per container port
    elif plan.kwargs["ports"]:
        return None
    return result


def service_ports(service: dict[str, Any]) -> list[dict[str, Any]]:
    return items(dig(service, "spec", "ports"))
