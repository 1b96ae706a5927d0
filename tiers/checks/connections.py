"""Checks of the connections a tier declares besides its references:
``peers``, ``ingress_from`` and ``egress_to``, each an error with its fix."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean
from tiers.model import app as model
from tiers.model.base import problems
from tiers.model.connections import EgressTo, IngressFrom, cidr_problem, port_problem
from tiers.resolve.connections import container_ports, default_peers
from tiers.resolve.policies import target_ports


def _declaring(context: Context) -> Iterator[tuple[ir.Tier, model.Tier]]:
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is not None:
            yield tier, written


def check_peers(context: Context) -> Iterator[Diagnostic]:
    """``peers=[...]`` names container ports of the tier."""
    for tier, written in _declaring(context):
        if not isinstance(written.peers, list):
            continue
        ports = container_ports(tier)
        for index, port in enumerate(written.peers):
            if port not in ports:
                message = _not_a_port(tier, port, ports)
                yield context.error("peers-port", message, tier, f"peers[{index}]")


def check_default_peers(context: Context) -> Iterator[Diagnostic]:
    """A StatefulSet whose members admit each other by default (on its
    governing Service's ports) while its containers open ports that nothing
    reaches (no Service targets them, no ``ingress_from`` admits them): a
    cluster's members talk on such ports (gossip, replication, elections),
    and the NetworkPolicy would deny it. A warning with the fix."""
    for tier, written in _declaring(context):
        if written.peers is not None or not default_peers(written, tier):
            continue
        closed = sorted(_unreached_ports(tier))
        if closed:
            message = _closed_message(tier, closed)
            yield context.warning("peers-closed", message, tier, "peers")


def _unreached_ports(tier: ir.Tier) -> set[int]:
    reached = {p.port for p in tier.peers}
    for service in tier.services:
        reached |= {number for number, _ in target_ports(tier, service.meta.name, None)}
    for rule in tier.outside:
        if rule.direction == "ingress":
            reached |= {p.port for p in rule.ports}
    return {number for number, _ in container_ports(tier).values()} - reached


def _closed_message(tier: ir.Tier, closed: list[int]) -> str:
    shown = ", ".join(str(p) for p in closed)
    opened = ", ".join(str(p.port) for p in tier.peers) or "none"
    return (
        f"its pods admit each other only on the ports of their Service ({opened}); the "
        f"containers also open {shown}, which no Service targets and the NetworkPolicy closes "
        f"between members: if they talk on those (gossip, replication, elections), say "
        f"peers=True (every container port) or peers=[...] with the ports they use; "
        f"peers=False to keep them apart"
    )


def check_ingress_from(context: Context) -> Iterator[Diagnostic]:
    """Each ``IngressFrom`` says who (a namespace, pods or CIDRs, not both
    pods and CIDRs), with valid CIDRs and names, on ports of the tier."""
    for tier, written in _declaring(context):
        for index, rule in enumerate(written.ingress_from):
            if problems(rule):
                continue  # reported with the other badly built objects
            field = f"ingress_from[{index}]"
            for message in _who(rule, "IngressFrom"):
                yield context.error("ingress-from", message, tier, field)
            ports = container_ports(tier)
            for number, port in enumerate(rule.ports):
                if port not in ports:
                    message = _not_a_port(tier, port, ports)
                    yield context.error("ingress-from", message, tier, f"{field}.ports[{number}]")


def check_egress_to(context: Context) -> Iterator[Diagnostic]:
    """Each ``EgressTo`` has one kind of destination, valid CIDRs and host
    names, and ports from 1 to 65535."""
    for tier, written in _declaring(context):
        for index, rule in enumerate(written.egress_to):
            if problems(rule):
                continue
            field = f"egress_to[{index}]"
            for message in [*_destination(rule), *_who(rule, "EgressTo"), *_hosts(rule)]:
                yield context.error("egress-to", message, tier, field)
            if not rule.ports:
                message = "says no ports; give the ports it calls, as ports=[443]"
                yield context.error("egress-to", message, tier, f"{field}.ports")
            for number, port in enumerate(rule.ports):
                problem = port_problem(port)
                if problem:
                    yield context.error("egress-to", problem, tier, f"{field}.ports[{number}]")


def _who(rule: IngressFrom | EgressTo, kind: str) -> Iterator[str]:
    selects = rule.namespace is not None or rule.pods is not None
    addresses = bool(rule.cidrs) or (isinstance(rule, EgressTo) and (rule.hosts or rule.internet))
    if not selects and not addresses:
        what = (
            "namespace=, pods=, cidrs=, hosts= or internet=True"
            if kind == "EgressTo"
            else ("namespace=, pods= or cidrs=")
        )
        yield f"{kind} names no one; say who with {what}"
    if selects and addresses:
        yield (
            f"{kind} mixes pods (namespace=, pods=) with addresses; a NetworkPolicy peer is "
            f"one or the other: write two {kind}s"
        )
    for cidr in rule.cidrs:
        problem = cidr_problem(cidr)
        if problem:
            yield f"cidrs: {problem}"
    if rule.namespace is not None:
        problem = rules.dns1123_label(rule.namespace)
        if problem:
            yield f"namespace '{rule.namespace}' is not a Namespace name: {problem}"
    for key, value in (rule.pods or {}).items():
        problem = rules.label_key(key) or rules.label_value(value)
        if problem:
            yield f"pods: '{key}: {value}' is not a label: {problem}"


def _destination(rule: EgressTo) -> Iterator[str]:
    kinds = [
        name
        for name, given in (
            ("hosts", bool(rule.hosts)),
            ("cidrs", bool(rule.cidrs)),
            ("internet", rule.internet),
        )
        if given
    ]
    if len(kinds) > 1:
        yield (
            f"EgressTo gives {' and '.join(kinds)}; give one kind of destination in each "
            "EgressTo (hosts already open the internet on its ports)"
        )


def _hosts(rule: EgressTo) -> Iterator[str]:
    for host in rule.hosts:
        bare = host.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        if bare != host:
            yield f"hosts: '{host}' is not a host name; write the name alone: '{bare}'"
        elif rules.dns1123_subdomain(host.lower()):
            yield f"hosts: '{host}' is not a DNS name; write one as 'api.example.com'"


def _not_a_port(tier: ir.Tier, port: int | str, ports: dict[int | str, tuple[int, str]]) -> str:
    listed = ", ".join(str(p) for p in ports) or "none"
    hint = did_you_mean(str(port), [str(p) for p in ports])
    return f"{port!r} is not a container port of tier '{tier.name}' (its ports: {listed}).{hint}"
