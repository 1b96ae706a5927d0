"""Egress to the External Services tiers emits, for the NetworkPolicies.

A NetworkPolicy matches pods, namespaces and IP blocks, never DNS names:

- a Service without a selector (``addresses``): its endpoints are known, so
  egress goes to each address (``/32``, ``/128``) on the endpoints' ports;
- an ExternalName Service with ``cidrs``: to those blocks on its ports;
- an ExternalName Service without ``cidrs``: to any address on its ports
  (a warning, see :mod:`tiers.checks.externals`); without ports, none;
- a Service managed elsewhere: to its namespace, on its ports (as before).
"""

from __future__ import annotations

from tiers import ir
from tiers.resolve.externals import ENDPOINTS, EXTERNAL_NAME


def external_rules(external: ir.ExternalService, port: int | None) -> list[ir.PolicyRule] | None:
    """The egress rules to ``external`` for a reference to ``port`` (``None``:
    all its ports); ``None`` for a Service managed elsewhere (tiers' usual rule)."""
    if external.kind == ENDPOINTS:
        blocks = [_host_block(a) for a in external.addresses]
        ports = _ports(external, port, endpoint=True)
        return [
            ir.PolicyRule([ir.PolicyPeer(None, ip_block=ir.IPBlock(b)) for b in blocks if b], ports)
        ]
    if external.kind != EXTERNAL_NAME:
        return None
    ports = _ports(external, port, endpoint=False)
    if not ports:
        return []
    peers = [ir.PolicyPeer(None, ip_block=ir.IPBlock(c)) for c in external.cidrs]
    return [ir.PolicyRule(peers, ports)]


def _host_block(address: str) -> str | None:
    import ipaddress  # only for the Services with addresses

    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    return f"{parsed}/{parsed.max_prefixlen}"


def _ports(external: ir.ExternalService, port: int | None, endpoint: bool) -> list[ir.PolicyPort]:
    found = []
    for service_port in external.ports:
        if port is not None and service_port.port != port:
            continue
        target = service_port.target_port if endpoint else service_port.port
        if isinstance(target, int):
            found.append(ir.PolicyPort(target, service_port.protocol))
    return found
