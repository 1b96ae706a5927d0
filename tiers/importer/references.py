"""References: env values that name another imported Service become
references to its tier (``mysql.host``, ``backend.url(port=8080)``,
``catalog.address()``), or strings with references inside
(``f"jdbc:mysql://{mysql.address()}/shop"``).

Recognised, with or without a port: a DNS name (``name``,
``name.namespace``, ``name.namespace.svc``, ``name.namespace.svc.<cluster
domain>``) or a URL (``scheme://host[:port][/path]``), as the whole value;
inside a longer value (a JDBC URL, a comma-separated list of addresses) a
name with a port, after ``://`` or ``@``, or an item of a list of names.
``NAME_PORT`` holding a port of the Service that ``NAME_HOST`` refers to
becomes ``port_ref()``. A StatefulSet pod's own name (``zk-0.zk-hs:2181``)
has no reference: it stays as written and the tier ``calls=`` that Service
and port, so the NetworkPolicies let it through. A reference is kept only
when the compiler writes it back as the same text (:mod:`tiers.importer`
checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tiers.importer.group import Plan, Scope, dig, items, scalar
from tiers.model.app import Call, Endpoint, EnvValue, ExternalService, Tier
from tiers.model.composed import holds_reference, split
from tiers.model.refs import REFS, DnsForm, HostRef, PortRef, Ref
from tiers.resolve.wiring import DEFAULT_PORTS

URL = re.compile(
    r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>[a-z0-9.-]+)(:(?P<port>\d+))?(?P<path>/.*)?$"
)
ADDRESS = re.compile(r"^(?P<host>[a-z0-9.-]+):(?P<port>\d{1,5})$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
INSIDE = re.compile(
    rf"(?<![A-Za-z0-9_.-])(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>\d{{1,5}}))?"
    r"(?![A-Za-z0-9_-])(?!\.[A-Za-z0-9])(?!:\d)"
)
"""A DNS name, and its port, inside a longer value."""
HOST_SUFFIXES = ("_HOST", "_HOSTNAME", "_ADDR", "_ADDRESS", "_SERVICE")
PORT_SUFFIX = "_PORT"
HOST_FLAG = re.compile(r"--?(h|H|host|hostname|server|addr|address|connect)")
"""A command-line flag whose value is a host (``pg_dump -h postgres``)."""


@dataclass(frozen=True)
class Target:
    """An imported Service that env values may name."""

    tier: Tier | ExternalService
    service: str
    first: bool
    namespace: str
    ports: tuple[int, ...]
    pods: str | None = None
    """The StatefulSet whose pods this headless Service names (``<pods>-0.<service>``)."""


@dataclass
class Wired:
    """A tier's env with references, and the calls its literal values make."""

    env: dict[str, EnvValue]
    calls: list[Call] = field(default_factory=list)


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
        self.of_tier: dict[int, list[Target]] = {}
        for external in externals or []:
            namespace = external.namespace or scope.namespace
            numbers = tuple(p if isinstance(p, int) else p.port for p in external.ports)
            target = Target(external, external.name, True, namespace, numbers)
            self.targets[(external.name, namespace)] = target
        for plan in plans:
            self._add(plan, tiers[plan.name], plan.group.namespace or scope.namespace)

    def _add(self, plan: Plan, tier: Tier, namespace: str) -> None:
        workload = plan.group.workload
        governing = dig(workload.manifest, "spec", "serviceName")
        for index, source in enumerate(plan.group.services):
            ports = items(dig(source.manifest, "spec", "ports"))
            numbers = tuple(p["port"] for p in ports if isinstance(scalar(p.get("port")), int))
            pods = workload.name if source.name == governing else None
            target = Target(tier, source.name, index == 0, namespace, numbers, pods)
            self.targets[(source.name, namespace)] = target
            self.by_tier.setdefault((id(tier), source.name), target)
            self.of_tier.setdefault(id(tier), []).append(target)
            if index == 0:
                self.by_tier[(id(tier), None)] = target

    def lookup(self, host: str, namespace: str) -> tuple[Target, DnsForm | None] | None:
        """The Service ``host`` names from ``namespace``, and the DNS form to ask
        for (``None``: the compiler's own choice)."""
        found = self._named(host.split("."), namespace)
        if found is None:
            return None
        key, form = found
        target = self.targets.get(key)
        if target is None:
            return None
        usual = "short" if target.namespace == namespace else "fqdn"
        return target, (None if form == usual else form)

    def _named(self, parts: list[str], namespace: str) -> tuple[tuple[str, str], DnsForm] | None:
        if len(parts) == 1:
            return (parts[0], namespace), "short"
        if len(parts) == 2:
            return (parts[0], parts[1]), "namespace"
        if len(parts) == 3 and parts[2] == "svc":
            return (parts[0], parts[1]), "svc"
        if parts[2:] == ["svc", *self.domain.split(".")]:
            return (parts[0], parts[1]), "fqdn"
        return None

    def pod(self, host: str, namespace: str) -> Target | None:
        """The headless Service of a StatefulSet whose pod ``host`` names
        (``zk-0.zk-hs``, ``zk-0.zk-hs.data.svc.cluster.local``)."""
        pod, _, rest = host.partition(".")
        found = self.lookup(rest, namespace) if rest else None
        target = found[0] if found else None
        if target is None or target.pods is None:
            return None
        ordinal = pod[len(target.pods) + 1 :]
        return target if pod.startswith(f"{target.pods}-") and ordinal.isdigit() else None

    def call(self, target: Target, port: int | None) -> Call:
        """What a tier that calls ``target`` (on ``port``) by a pod's name calls:
        the Service of the tier that has that port, else ``target`` whole."""
        for other in self.of_tier.get(id(target.tier), [target]):
            if port in other.ports:
                endpoint = _endpoint(other)
                return endpoint.port_ref(None if port == other.ports[0] else port)
        return _endpoint(target)


def references(plan: Plan, tier: Tier, index: Index, scope: Scope) -> Wired:
    """The tier's env with every value that names an imported Service as a
    reference, and the calls its literal values make to a StatefulSet's pods."""
    namespace = plan.group.namespace or scope.namespace
    wired = Wired({})
    for name, value in tier.env.items():
        found: EnvValue | None = None
        if isinstance(value, str):
            found = _whole(value, index, namespace) or _inside(value, index, namespace, wired.calls)
        mine = found is not None and any(r.target is tier for r in refs_in(found))
        wired.env[name] = found if found is not None and not mine else value
    for name, value in list(wired.env.items()):
        port = _port_reference(name, value, wired.env, index)
        if port is not None:
            wired.env[name] = port
    wired.calls += command_calls(plan, index, namespace)
    wired.calls = [c for c in _unique(wired.calls) if _call_target(c) is not tier]
    return wired


def command_calls(plan: Plan, index: Index, namespace: str) -> list[Call]:
    """Calls to the Services that the commands and args of the pod's
    containers name (``pg_dump -h postgres``, ``nc -z db 5432``): a command
    cannot hold a reference, so it stays as written and the tier calls them."""
    found: list[Call] = []
    spec = dig(plan.group.pod_template, "spec")
    containers = [*items(dig(spec, "initContainers")), *plan.group.containers]
    for container in containers:
        words = [
            w
            for part in ("command", "args")
            for line in _strings(container.get(part))
            for w in re.split(r"[\s=,;'\"]+", line)
        ]
        found += [c for at in range(len(words)) for c in _word_calls(words, at, index, namespace)]
    return found


def _word_calls(words: list[str], at: int, index: Index, namespace: str) -> list[Call]:
    """The call word ``at`` makes: a host with a port (``db:5432``, ``db 5432``),
    after a host flag (``-h db``) or a DNS name with dots."""
    host, _, port = words[at].partition(":")
    following = words[at + 1] if at + 1 < len(words) else ""
    number = int(port) if port.isdigit() else int(following) if following.isdigit() else None
    flagged = at > 0 and HOST_FLAG.fullmatch(words[at - 1]) is not None
    if number is None and not flagged and "." not in host:
        return []
    return _word_call(host, number, index, namespace)


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _word_call(host: str, port: int | None, index: Index, namespace: str) -> list[Call]:
    pod = index.pod(host, namespace) if "." in host else None
    if pod is not None:
        return [index.call(pod, port)]
    found = index.lookup(host, namespace) if re.fullmatch(r"[a-z0-9.-]+", host) else None
    if found is None:
        return []
    target = found[0]
    if port is not None and port in target.ports:
        return [index.call(target, port)]
    return [_endpoint(target)]


def refs_in(value: object) -> list[Ref]:
    """The references ``value`` is or holds (inside a string)."""
    if isinstance(value, REFS):
        return [value]
    if isinstance(value, str) and holds_reference(value):
        return [p for p in split(value) if not isinstance(p, str)]
    return []


def _call_target(call: Call) -> object:
    return call.target if isinstance(call, REFS) else getattr(call, "tier", call)


def _unique(calls: list[Call]) -> list[Call]:
    seen: set[tuple[int, object, object]] = set()
    found = []
    for call in calls:
        key = (id(_call_target(call)), getattr(call, "service", None), getattr(call, "port", None))
        if key not in seen:
            seen.add(key)
            found.append(call)
    return found


def _whole(value: str, index: Index, namespace: str) -> Ref | None:
    """A reference for a value that is one name, ``name:port`` or one URL."""
    match = URL.match(value)
    if match is None:
        address = ADDRESS.match(value)
        if address is not None:
            return _address(address["host"], int(address["port"]), index, namespace)
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


def _address(host: str, port: int, index: Index, namespace: str) -> Ref | None:
    found = index.lookup(host, namespace)
    if found is None or port not in found[0].ports:
        return None
    target, form = found
    return _endpoint(target).address(None if port == target.ports[0] else port, form)


def _inside(value: str, index: Index, namespace: str, calls: list[Call]) -> str | None:
    """``value`` with each address inside it that names a Service as a
    reference (written as its token), or ``None`` when it names none; a pod's
    name adds a call to ``calls`` and stays as written."""
    listed = _is_list(value)
    pieces: list[str] = []
    end, changed = 0, False
    for match in INSIDE.finditer(value):
        host, port = match["host"], int(match["port"]) if match["port"] else None
        before = value[: match.start()]
        if port is None and not (listed or before.endswith(("://", "@"))):
            continue
        pod = index.pod(host, namespace)
        if pod is not None:
            calls.append(index.call(pod, port))
            continue
        ref = _address(host, port, index, namespace) if port is not None else None
        if port is None:
            found = index.lookup(host, namespace)
            ref = _host(*found) if found else None
        if ref is None:
            continue
        pieces += [value[end : match.start()], str(ref)]
        end, changed = match.end(), True
    return "".join([*pieces, value[end:]]) if changed else None


def _is_list(value: str) -> bool:
    """A list of names, with or without ports: ``a:2181,b:2181`` or ``a;b``."""
    parts = [p.strip() for p in re.split(r"[,;]", value)]
    return len(parts) > 1 and all(re.fullmatch(r"[a-z0-9.-]+(:\d+)?", p) for p in parts)


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
