"""Checks of container ports: numbers, names, and uniqueness in a pod."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic

PORT_RANGE = range(1, 65536)


def _container_ports(tier: ir.Tier) -> Iterator[ir.ContainerPort]:
    for container in tier.workload.pod_containers():
        yield from container.ports


def _number_field(context: Context, tier: ir.Tier, port: ir.ContainerPort) -> str:
    """``ports[0].number`` for a Port, ``ports[0]`` for a plain number."""
    written = context.locate_object(tier, port.origin)
    return ir.field_path(port.origin, "number") if written is not None else port.origin


def check_container_port_numbers(context: Context) -> Iterator[Diagnostic]:
    """Container port numbers are in 1-65535."""
    for tier in context.resolved.tiers:
        for port in _container_ports(tier):
            if port.number not in PORT_RANGE:
                message = f"{port.number} is not a port number: use 1-65535"
                yield context.error("port-range", message, tier, _number_field(context, tier, port))


def check_container_port_names(context: Context) -> Iterator[Diagnostic]:
    """Container port names are IANA service names: at most 15 characters,
    lowercase letters, digits and '-', at least one letter, no '--'."""
    for tier in context.resolved.tiers:
        for port in _container_ports(tier):
            if port.name is None:
                continue
            reason = rules.port_name(port.name)
            if reason:
                example = rules.suggest_name(port.name, 15, letter_first=True)
                hint = f" For example '{example}'." if example != port.name else ""
                message = f"'{port.name}' is not a valid port name: {reason}.{hint}"
                field = ir.field_path(port.origin, "name")
                yield context.error("port-name", message, tier, field)


def check_unique_container_ports(context: Context) -> Iterator[Diagnostic]:
    """No two container ports of a pod share a number and protocol, or a name.

    Across containers the API server only warns about a repeated number
    ("duplicate port definition"), but the containers share the pod's
    network, so the second one cannot bind it: an error here. Port names
    must be unique in the pod, which Services rely on to target a port by name."""
    for tier in context.resolved.tiers:
        numbers: dict[tuple[int, str], ir.ContainerPort] = {}
        names: dict[str, ir.ContainerPort] = {}
        for port in _container_ports(tier):
            first = numbers.setdefault((port.number, port.protocol), port)
            if first is not port:
                message = _duplicate_port(port, first)
                yield context.error(
                    "port-duplicate", message, tier, _number_field(context, tier, port)
                )
            if port.name is not None and names.setdefault(port.name, port) is not port:
                taken = _described(names[port.name], port)
                message = (
                    f"the port name '{port.name}' is already used by {taken}; "
                    "give each port a name of its own"
                )
                field = ir.field_path(port.origin, "name")
                yield context.error("port-name-duplicate", message, tier, field)


def _duplicate_port(port: ir.ContainerPort, first: ir.ContainerPort) -> str:
    if _container_field(port) == _container_field(first):
        return (
            f"{port.number}/{port.protocol} is already a container port "
            f"({first.origin}); list each port once"
        )
    return (
        f"{port.number}/{port.protocol} is already a port of another container "
        f"({_described(first, port)}); the containers of a pod share one network, so only one "
        "of them can listen on it: give this one another port"
    )


def _container_field(port: ir.ContainerPort) -> str:
    """``sidecars[0]`` for ``sidecars[0].ports[1]``, ``""`` for the main container's."""
    return port.origin.rpartition(".")[0]


def _described(first: ir.ContainerPort, port: ir.ContainerPort) -> str:
    """Where ``first`` is, as seen from ``port``: ``ports[0]`` in the same
    container, ``sidecars[0].ports[1]``, or ``ports[0] of the main container``."""
    if _container_field(first) or _container_field(first) == _container_field(port):
        return first.origin
    return f"{first.origin} of the main container"
