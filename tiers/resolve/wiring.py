"""Wiring: references between tiers resolved into env values, and the graph
of who talks to whom."""

from __future__ import annotations

import difflib
import heapq
import re
from dataclasses import dataclass

from tiers import ir
from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.model import app as model
from tiers.model import composed
from tiers.model.base import defined_at, problems
from tiers.model.configmap import ConfigMapKey
from tiers.model.refs import REFS, AddressRef, HostRef, PortRef, Ref, UrlRef
from tiers.resolve.envfrom import env_var
from tiers.resolve.externals import external_ports

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


@dataclass(slots=True)
class _Target:
    """A Service a reference can land on."""

    tier: str
    namespace: str
    services: list[ir.Service]
    external: bool


class _Unresolved(Exception):
    """A reference that cannot be resolved; the message says why and how to fix it."""


class Wiring:
    """Resolves the references of one app and records them as edges."""

    def __init__(self, app: model.App, resolved: dict[int, ir.Tier], broken: set[int]) -> None:
        self.app = app
        self.resolved = resolved
        self.broken = broken
        self.edges: list[ir.Edge] = []
        self._names: set[str] | None = None

    def env(
        self,
        tier: model.Tier,
        diagnostics: list[Diagnostic],
        owner: model.Tier | model.Container | None = None,
        container: str = "",
    ) -> list[ir.EnvVar]:
        """The env vars of one of ``tier``'s containers with every reference
        resolved: those of ``owner`` (default: the tier itself), the container
        made from the field ``container`` (``""``: the main one). Each
        reference is an edge from the tier, whichever container makes it;
        so is each reference inside a longer string (:mod:`tiers.composed`)."""
        result = []
        namespace = self.resolved[id(tier)].namespace
        owner = tier if owner is None else owner
        for name, value in owner.env.items():
            origin = ir.field_path(container, f"env.{name}")
            if isinstance(value, ConfigMapKey):
                key = ir.KeyRef("ConfigMap", value.config_map.name, value.key)
                result.append(ir.EnvVar(name, "", origin, value_from=key))
                continue
            try:
                parts = _parts(value)
                if parts is None:
                    result.append(env_var(tier, name, value, origin, container))
                    continue
                text = self._joined(tier, name, parts, namespace)
            except _Unresolved as exc:
                diagnostics.append(self._problem(tier, owner, origin, str(exc)))
                text = ""
            result.append(ir.EnvVar(name, text, origin))
        return result

    def calls(self, tier: model.Tier, diagnostics: list[Diagnostic]) -> None:
        """Record each of ``tier.calls`` as an edge, as a reference would be."""
        namespace = self.resolved[id(tier)].namespace
        for index, item in enumerate(tier.calls):
            field = f"calls[{index}]"
            try:
                self._resolve(tier, field, _call_ref(item), namespace, via="calls")
            except _Unresolved as exc:
                diagnostics.append(self._problem(tier, tier, field, str(exc)))

    def _problem(self, tier: model.Tier, owner: object, field: str, message: str) -> Diagnostic:
        where = defined_at(owner)
        return error("env-reference", message, tier=tier.name, field=field, location=where)

    def _joined(self, tier: model.Tier, env: str, parts: list[str | Ref], namespace: str) -> str:
        """The text of ``parts`` with each reference resolved. A host next to a
        port of the same Service (``{db.host}:{db.port_ref()}``) is one
        connection, to that port: only the port's reference is an edge."""
        ported = {_key(p) for p in parts if isinstance(p, PortRef | UrlRef | AddressRef)}
        text = []
        for part in parts:
            if isinstance(part, str):
                text.append(part)
                continue
            edge = not (isinstance(part, HostRef) and _key(part) in ported)
            text.append(self._resolve(tier, env, part, namespace, edge=edge))
        return "".join(text)

    def _resolve(
        self,
        tier: model.Tier,
        env: str,
        ref: Ref,
        namespace: str,
        edge: bool = True,
        via: str = "env",
    ) -> str:
        target = self._target(tier, ref)
        service = self._service(target, ref)
        host = self._host(service.meta.name, target.namespace, namespace, ref)
        port = (
            None
            if isinstance(ref, HostRef) and not service.ports
            else self._port(target, service, ref)
        )
        if isinstance(ref, UrlRef):
            _check_scheme(ref.scheme)
        if edge:
            self.edges.append(
                ir.Edge(
                    source=tier.name,
                    target=target.tier,
                    env=env if via == "env" else "",
                    service=service.meta.name,
                    namespace=target.namespace,
                    port=None if isinstance(ref, HostRef) or port is None else port.port,
                    protocol=port.protocol if port is not None else "TCP",
                    external=target.external,
                    via=via,
                )
            )
        if isinstance(ref, HostRef):
            return host
        assert port is not None
        if isinstance(ref, PortRef):
            return str(port.port)
        if isinstance(ref, AddressRef):
            return f"{host}:{port.port}"
        return _url(ref, host, port.port)

    def _host(self, name: str, namespace: str, source_namespace: str, ref: Ref) -> str:
        form = None if isinstance(ref, PortRef) else ref.dns
        if form is None:
            form = "short" if namespace == source_namespace else "fqdn"
        parts = {
            "short": [name],
            "namespace": [name, namespace],
            "svc": [name, namespace, "svc"],
            "fqdn": [name, namespace, "svc", self.app.cluster_domain],
        }
        return ".".join(parts[form])

    def _target(self, tier: model.Tier, ref: Ref) -> _Target:
        other = ref.target
        if isinstance(other, model.ExternalService):
            if problems(other) or any(problems(p) for p in other.ports):
                raise _Unresolved(f"ExternalService '{other.name}' has errors of its own")
            namespace = other.namespace if other.namespace is not None else self.app.namespace
            service = ir.Service(
                meta=ir.Meta(other.name, namespace, {}),
                type="ClusterIP",
                headless=False,
                selector={},
                ports=external_ports(other),
            )
            return _Target(other.name, namespace, [service], external=True)
        if not isinstance(other, model.Tier):
            raise _Unresolved(
                f"refers to {other!r}, which is not a tier: use a tier's or an "
                "ExternalService's host, port_ref() or url()"
            )
        if id(other) in self.broken:
            raise _Unresolved(f"tier '{other.name}' has errors of its own; fix those first")
        resolved = self.resolved.get(id(other))
        if resolved is None:
            raise _Unresolved(self._not_in_app(other))
        if not resolved.services:
            raise _Unresolved(
                f"references tier '{other.name}', which has no Service. Give tier "
                f"'{other.name}' a Service (drop service=\"None\", or set services=[...])"
            )
        return _Target(resolved.name, resolved.namespace, resolved.services, external=False)

    def _not_in_app(self, other: model.Tier) -> str:
        names = self._tier_names()
        if other.name in names:
            return (
                f"references a {other.kind} named '{other.name}' that was not added to app "
                f"'{self.app.name}'; the app's tier '{other.name}' is another object. Refer "
                "to the object app.add() returned"
            )
        return (
            f"references tier '{other.name}', which is not in app '{self.app.name}'. "
            f"Add it with app.add({other.kind}('{other.name}', ...)), or refer to a tier "
            f"of the app.{did_you_mean(str(other.name), names)}"
        )

    def _tier_names(self) -> set[str]:
        if self._names is None:
            self._names = {t.name for t in self.app.tiers if isinstance(t, model.Tier)}
        return self._names

    def _service(self, target: _Target, ref: Ref) -> ir.Service:
        if ref.service is None:
            return target.services[0]
        names = [s.meta.name for s in target.services]
        for service in target.services:
            if service.meta.name == ref.service:
                return service
        raise _Unresolved(
            f"tier '{target.tier}' has no Service named '{ref.service}' "
            f"(its Services: {', '.join(names)}).{did_you_mean(ref.service, names)}"
        )

    def _port(self, target: _Target, service: ir.Service, ref: Ref) -> ir.ServicePort:
        wanted = None if isinstance(ref, HostRef) else ref.port
        try:
            return service_port(target.tier, service, wanted)
        except LookupError as exc:
            raise _Unresolved(str(exc)) from None

    def order(self, tiers: list[ir.Tier]) -> list[ir.Tier]:
        """Tiers in dependency order (a tier after the tiers it references),
        ties broken by name: the same order whatever order they were added in."""
        index = {t.name: i for i, t in enumerate(tiers)}
        waiting = [0] * len(tiers)
        users: list[list[int]] = [[] for _ in tiers]
        seen = set()
        for edge in self.edges:
            pair = (index.get(edge.source), index.get(edge.target))
            if None in pair or pair[0] == pair[1] or edge.external or pair in seen:
                continue
            seen.add(pair)
            source, target = pair
            assert source is not None and target is not None
            waiting[source] += 1
            users[target].append(source)
        ready = [(t.name, i) for i, t in enumerate(tiers) if not waiting[i]]
        heapq.heapify(ready)
        done = [False] * len(tiers)
        result: list[ir.Tier] = []
        while len(result) < len(tiers):
            if not ready:  # a cycle: release the smallest name still waiting
                ready = [min((t.name, i) for i, t in enumerate(tiers) if not done[i])]
            _, i = heapq.heappop(ready)
            if done[i]:
                continue
            done[i] = True
            result.append(tiers[i])
            for user in users[i]:
                waiting[user] -= 1
                if waiting[user] == 0 and not done[user]:
                    heapq.heappush(ready, (tiers[user].name, user))
        return result


def service_port(tier: str, service: ir.Service, wanted: int | str | None) -> ir.ServicePort:
    """The port of ``service`` (of ``tier``) picked by number or name, or its
    first when ``wanted`` is ``None``; raises :class:`LookupError` with a message
    that lists the Service's ports and suggests the closest."""
    if not service.ports:
        name = service.meta.name
        raise LookupError(f"Service '{name}' of tier '{tier}' has no ports to refer to")
    if wanted is None:
        return service.ports[0]
    for port in service.ports:
        if wanted in (port.port, port.name):
            return port
    listed = ", ".join(_describe(p) for p in service.ports)
    hint = _closest_port(wanted, service.ports)
    raise LookupError(
        f"tier '{tier}' exposes no port {wanted!r} on Service '{service.meta.name}' "
        f"(Service ports: {listed}).{hint}"
    )


def _closest_port(wanted: int | str, ports: list[ir.ServicePort]) -> str:
    """`` Did you mean 80?`` or `` Did you mean 'http'?``, written as the
    argument to give; the only port when nothing is close."""
    choices: dict[str, int | str] = {str(p.port): p.port for p in ports}
    choices |= {p.name: p.name for p in ports if p.name}
    close = difflib.get_close_matches(str(wanted), list(choices), n=1, cutoff=0.6)
    if not close and len(choices) == 1:
        close = list(choices)
    return f" Did you mean {choices[close[0]]!r}?" if close else ""


def _describe(port: ir.ServicePort) -> str:
    return f"{port.port} ({port.name})" if port.name else str(port.port)


def _url(ref: UrlRef, host: str, port: int) -> str:
    authority = host if DEFAULT_PORTS.get(ref.scheme) == port else f"{host}:{port}"
    path = ref.path if not ref.path or ref.path.startswith("/") else f"/{ref.path}"
    return f"{ref.scheme}://{authority}{path}"


def _parts(value: object) -> list[str | Ref] | None:
    """A reference as one part, a string holding references as its parts;
    ``None`` for any other value. Raises :class:`_Unresolved` for a string
    whose reference was cut or changed (sliced, ``upper()``-cased)."""
    if isinstance(value, REFS):
        return [value]
    if isinstance(value, str) and composed.holds_reference(value):
        try:
            return composed.split(value)
        except ValueError as exc:
            raise _Unresolved(
                f"{exc} (sliced, case-changed or encoded): build the value with each "
                'reference whole, as f"redis://{cache.address()}/0"'
            ) from None
    return None


def _key(ref: Ref) -> tuple[int, str | None]:
    return (id(ref.target), ref.service)


def _call_ref(item: object) -> Ref:
    """What ``calls=[item]`` reaches, as a reference: a tier, an external
    Service or ``tier.endpoint(...)`` is its Service's host (every port)."""
    if isinstance(item, REFS):
        return item
    if isinstance(item, model.ServiceEndpoint):
        return HostRef(item.tier, item.service)
    return HostRef(item)  # type: ignore[arg-type]


def _check_scheme(scheme: object) -> None:
    if isinstance(scheme, str) and _SCHEME.fullmatch(scheme):
        return
    head, colon, rest = scheme.partition(":") if isinstance(scheme, str) else ("", "", "")
    nested = rest.rstrip(":/")
    if colon and _SCHEME.fullmatch(head) and nested and _SCHEME.fullmatch(nested):
        fix = (
            "a URL inside another scheme (JDBC) is an f-string around the address: "
            f'f"{head}:{nested}://{{db.address()}}/..."'
        )
    elif colon and _SCHEME.fullmatch(head):
        fix = f"write the scheme alone: url(scheme={head!r})"
    else:
        fix = "give one, as url(scheme='http') or url(scheme='redis')"
    raise _Unresolved(
        f"url() needs a scheme (letters, digits, '+', '-', '.'), got {scheme!r}: {fix}"
    )
