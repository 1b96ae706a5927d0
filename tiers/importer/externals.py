"""External Services: an ExternalName Service, or a Service without a
selector and the EndpointSlices that list its addresses (named as tiers
names them: the Service's name, ``<name>-ipv6`` for a second family), into
an :class:`~tiers.model.app.ExternalService` that tiers emits again.

A Service of another namespace that env values name by its DNS name, and
that the NetworkPolicies tiers wrote open egress to, becomes an
``ExternalService(name, namespace=...)`` managed elsewhere.

The ``cidrs`` of an ExternalName come from the NetworkPolicies tiers wrote:
the address blocks its clients may reach on its ports, when every client's
policy says the same and no other ExternalName shares those ports.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from tiers.importer.group import Plan, Scope, dig, items, scalar
from tiers.importer.read import Source
from tiers.model.app import ExternalService, ServicePort

SLICE_API = "discovery.k8s.io/v1"
SERVICE_NAME = "kubernetes.io/service-name"
SLICE_FIELDS = frozenset({"apiVersion", "kind", "metadata", "addressType", "ports", "endpoints"})


@dataclass
class External:
    """One external Service to write, and the objects it came from."""

    service: ExternalService
    sources: list[Source]


def claim_externals(sources: list[Source], namespace: str) -> list[External]:
    """Every ExternalName Service, and every Service without a selector whose
    endpoints are listed by EndpointSlices of the input."""
    found = []
    for source in sources:
        spec = source.manifest.get("spec")
        if source.kind != "Service" or source.manifest.get("apiVersion") != "v1":
            continue
        if not isinstance(spec, dict) or spec.get("selector"):
            continue
        external = _external_name(source, spec, namespace) or _addressed(
            source, spec, sources, namespace
        )
        if external is not None:
            found.append(external)
    return found


def _ports(spec: dict[str, Any]) -> list[ServicePort | int] | None:
    found: list[ServicePort | int] = []
    for port in items(spec.get("ports")):
        number, target = scalar(port.get("port")), port.get("targetPort", port.get("port"))
        protocol, name = port.get("protocol", "TCP"), port.get("name")
        if (
            not isinstance(number, int)
            or not isinstance(target, int)
            or set(port)
            - {
                "port",
                "targetPort",
                "protocol",
                "name",
            }
        ):
            return None
        plain = name is None and protocol == "TCP" and target == number
        found.append(
            number
            if plain
            else ServicePort(
                number,
                target_port=None if target == number else target,
                name=name,
                protocol=protocol,
            )
        )
    return found


def _namespace(source: Source, namespace: str) -> str | None:
    return source.namespace if source.namespace not in (None, namespace) else None


def _external_name(source: Source, spec: dict[str, Any], namespace: str) -> External | None:
    name = spec.get("externalName")
    ports = _ports(spec)
    if spec.get("type") != "ExternalName" or not isinstance(name, str) or ports is None:
        return None
    if set(spec) - {"type", "externalName", "ports"}:
        return None
    service = ExternalService(
        source.name, namespace=_namespace(source, namespace), ports=ports, external_name=name
    )
    return External(service, [source])


def _addressed(
    source: Source, spec: dict[str, Any], sources: list[Source], namespace: str
) -> External | None:
    ports = _ports(spec)
    if spec.get("type", "ClusterIP") != "ClusterIP" or not ports or set(spec) - {"type", "ports"}:
        return None
    slices = [s for s in sources if _slice_of(s, source, namespace)]
    addresses = [a for s in slices for a in _addresses(s)]
    if not slices or not addresses or None in addresses or not _named_as_tiers(slices, source):
        return None
    service = ExternalService(
        source.name,
        namespace=_namespace(source, namespace),
        ports=ports,
        addresses=[str(a) for a in addresses],
    )
    return External(service, [source, *slices])


def _named_as_tiers(slices: list[Source], service: Source) -> bool:
    families = sorted({str(s.manifest.get("addressType")) for s in slices})
    names = [
        service.name if i == 0 else f"{service.name}-{f.lower()}" for i, f in enumerate(families)
    ]
    return sorted(s.name for s in slices) == sorted(names) and len(slices) == len(families)


def _slice_of(candidate: Source, service: Source, namespace: str) -> bool:
    labels = dig(candidate.manifest, "metadata", "labels") or {}
    return (
        candidate.kind == "EndpointSlice"
        and candidate.manifest.get("apiVersion") == SLICE_API
        and isinstance(labels, dict)
        and labels.get(SERVICE_NAME) == service.name
        and (candidate.namespace or namespace) == (service.namespace or namespace)
        and not set(candidate.manifest) - SLICE_FIELDS
    )


def _addresses(endpoint_slice: Source) -> list[str | None]:
    found: list[str | None] = []
    for endpoint in items(endpoint_slice.manifest.get("endpoints")):
        for address in endpoint.get("addresses") or []:
            try:
                found.append(str(ipaddress.ip_address(address)))
            except ValueError:
                found.append(None)
    return found


def infer_cidrs(
    externals: list[External], sources: list[Source], clients: dict[str, set[str]]
) -> None:
    """Set the ``cidrs`` of each ExternalName from the NetworkPolicies of the
    tiers that reference it (``clients``: external name → tier names)."""
    policies = {
        dig(s.manifest, "metadata", "name"): s.manifest
        for s in sources
        if s.kind == "NetworkPolicy"
    }
    named = [e.service for e in externals if e.service.external_name is not None]
    for service in named:
        ports = {_number(p) for p in service.ports}
        others = {_number(p) for o in named if o is not service for p in o.ports}
        users = clients.get(service.name, set())
        if not ports or ports & others or not users:
            continue
        found = [_blocks(policies.get(f"{u}-network-policy"), ports) for u in sorted(users)]
        if found and all(f == found[0] for f in found) and found[0]:
            service.cidrs = list(found[0])


def _number(port: ServicePort | int) -> int:
    return port if isinstance(port, int) else port.port


def _blocks(policy: Any, ports: set[int]) -> tuple[str, ...]:
    """The CIDRs of the egress rules that go to IP blocks on ``ports`` only."""
    found: list[str] = []
    for rule in items(dig(policy, "spec", "egress")):
        peers = items(rule.get("to"))
        numbers = {p.get("port") for p in items(rule.get("ports"))}
        blocks = [dig(p, "ipBlock", "cidr") for p in peers]
        if peers and numbers and numbers <= ports and all(isinstance(b, str) for b in blocks):
            found += [str(b) for b in blocks]
    return tuple(found)


def managed_elsewhere(
    plans: list[Plan], sources: list[Source], scope: Scope, domain: str, known: set[tuple[str, str]]
) -> list[External]:
    """The Services of other namespaces that env values name by their DNS name
    (``ldap.identity.svc.cluster.local``) and that the tier's NetworkPolicy, as
    tiers writes it, opens egress to: ``ExternalService(name, namespace=...)``
    with the ports that policy opens to the namespace."""
    policies = {(s.namespace, s.name): s.manifest for s in sources if s.kind == "NetworkPolicy"}
    found: dict[tuple[str, str], External] = {}
    for plan in plans:
        namespace = plan.group.namespace or scope.namespace
        policy = policies.get((plan.group.workload.namespace, f"{plan.name}-network-policy"))
        for value in plan.kwargs.get("env", {}).values():
            key = _service_named(value, domain) if isinstance(value, str) else None
            if key is None or key[1] == namespace or key in known or key in found:
                continue
            ports: list[ServicePort | int] = [*sorted(_namespace_ports(policy, key[1]))]
            if ports:
                service = ExternalService(key[0], namespace=key[1], ports=ports)
                found[key] = External(service, [])
    return list(found.values())


def _service_named(value: str, domain: str) -> tuple[str, str] | None:
    """(Service, namespace) of a DNS name or URL ``name.namespace.svc[.domain]``."""
    host = value.split("://", 1)[1].split("/", 1)[0] if "://" in value else value
    host = host.rsplit(":", 1)[0]
    parts = host.split(".")
    if len(parts) >= 3 and parts[2] == "svc" and ".".join(parts[3:]) in ("", domain):
        return (parts[0], parts[1]) if all(parts[:2]) else None
    return None


def _namespace_ports(policy: Any, namespace: str) -> set[int]:
    """The ports an egress rule of ``policy`` opens to every pod of ``namespace``."""
    wanted = [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}]
    found: set[int] = set()
    for rule in items(dig(policy, "spec", "egress")):
        if rule.get("to") == wanted:
            found |= {p["port"] for p in items(rule.get("ports")) if isinstance(p.get("port"), int)}
    return found
