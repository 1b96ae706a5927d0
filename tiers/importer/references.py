"""References: env values that name another imported Service become
references to its tier (``mysql.host``, ``backend.url(port=8080)``).

Recognised values, with or without a port: a DNS name (``name``,
``name.namespace``, ``name.namespace.svc``, ``name.namespace.svc.<cluster
domain>``) or a URL (``scheme://host[:port][/path]``). ``NAME_PORT`` holding
a port of the Service that ``NAME_HOST`` refers to becomes ``port_ref()``. A
reference is kept only when the compiler writes it back as the same text
(:func:`tiers.importer.import_objects` checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiers.importer.group import Plan, Scope, dig, items, scalar
from tiers.model.app import Endpoint, EnvValue, ExternalService, Tier
from tiers.model.refs import DnsForm, HostRef, PortRef, Ref
from tiers.resolve.wiring import DEFAULT_PORTS

URL = re.compile(
    r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>[a-z0-9.-]+)(:(?P<port>\d+))?(?P<path>/.*)?$"
)
HOST_SUFFIXES = ("_HOST", "_HOSTNAME", "_ADDR", "_ADDRESS", "_SERVICE")
PORT_SUFFIX = "_PORT"


@dataclass(frozen=True)
class Target:
    """An imported Service that env values may name."""

    tier: Tier | ExternalService
    service: str
    first: bool
    namespace: str
    ports: tuple[int, ...]


class Index:
    """Imported Services by ``(name, namespace)``."""

    def __init__(
        self,
        plans: list[Plan],
        tiers: dict[str, Tier],
        scope: Scope,
        domain: str,
        externals: list[ExternalService] | None = None,
    ):
        self.domain = domain
        self.targets: dict[tuple[str, str], Target] = {}
        self.by_tier: dict[tuple[int, str | None], Target] = {}
        for external in externals or []:
            namespace = external.namespace or scope.namespace
            numbers = tuple(p if isinstance(p, int) else p.port for p in external.ports)
            target = Target(external, external.name, True, namespace, numbers)
            self.targets[(external.name, namespace)] = target
        for plan in plans:
            namespace = plan.group.namespace or scope.namespace
            for index, source in enumerate(plan.group.services):
                ports = items(dig(source.manifest, "spec", "ports"))
                numbers = tuple(p["port"] for p in ports if isinstance(scalar(p.get("port")), int))
                target = Target(tiers[plan.name], source.name, index == 0, namespace, numbers)
                self.targets[(source.name, namespace)] = target
                self.by_tier.setdefault((id(target.tier), source.name), target)
                if index == 0:
                    self.by_tier[(id(target.tier), None)] = target

    def lookup(self, host: str, namespace: str) -> tuple[Target, DnsForm | None] | None:
        """The Service ``host`` names from ``namespace``, and the DNS form to ask
        for (``None``: the compiler's own choice)."""
        parts = host.split(".")
        fqdn_suffix = f".svc.{self.domain}"
        form: DnsForm
        if len(parts) == 1:
            key, form = (host, namespace), "short"
        elif len(parts) == 2:
            key, form = (parts[0], parts[1]), "namespace"
        elif len(parts) == 3 and parts[2] == "svc":
            key, form = (parts[0], parts[1]), "svc"
        elif host.endswith(fqdn_suffix) and len(parts) == 3 + self.domain.count(".") + 1:
            key, form = (parts[0], parts[1]), "fqdn"
        else:
            return None
        target = self.targets.get(key)
        if target is None:
            return None
        usual = "short" if target.namespace == namespace else "fqdn"
        return target, (None if form == usual else form)


def references(plan: Plan, tier: Tier, index: Index, scope: Scope) -> dict[str, EnvValue]:
    """The tier's env with every value that names an imported Service as a reference."""
    namespace = plan.group.namespace or scope.namespace
    result: dict[str, EnvValue] = {}
    for name, value in tier.env.items():
        found = _reference(value, index, namespace) if isinstance(value, str) else None
        result[name] = found if found is not None and found.target is not tier else value
    for name, value in list(result.items()):
        port = _port_reference(name, value, result, index)
        if port is not None:
            result[name] = port
    return result


def _reference(value: str, index: Index, namespace: str) -> Ref | None:
    match = URL.match(value)
    if match is None:
        found = index.lookup(value, namespace)
        return _host(*found) if found else None
    found = index.lookup(match["host"], namespace)
    if found is None:
        return None
    target, form = found
    port = int(match["port"]) if match["port"] else DEFAULT_PORTS.get(match["scheme"])
    if port is None or port not in target.ports:
        return None
    endpoint = _endpoint(target)
    first = port == target.ports[0] and not match["port"]
    return endpoint.url(match["scheme"], None if first else port, match["path"] or "", form)


def _host(target: Target, form: DnsForm | None) -> HostRef:
    endpoint = _endpoint(target)
    return endpoint.host if form is None else endpoint.dns_name(form)


def _port_reference(
    name: str, value: EnvValue, env: dict[str, EnvValue], index: Index
) -> PortRef | None:
    if not (isinstance(value, str) and value.isdigit() and name.endswith(PORT_SUFFIX)):
        return None
    stem = name[: -len(PORT_SUFFIX)]
    host = next((env[stem + s] for s in HOST_SUFFIXES if stem + s in env), None)
    if not isinstance(host, HostRef):
        return None
    target = _target_of(host, index)
    if target is None or int(value) not in target.ports:
        return None
    endpoint = _endpoint(target)
    return endpoint.port_ref(None if int(value) == target.ports[0] else int(value))


def _endpoint(target: Target) -> Endpoint:
    """The tier (or external Service) itself for its first Service, else the named one."""
    if target.first or not isinstance(target.tier, Tier):
        return target.tier
    return target.tier.endpoint(target.service)


def _target_of(ref: HostRef, index: Index) -> Target | None:
    return index.by_tier.get((id(ref.target), ref.service))
