"""Random apps with random references, calls, peers and connections outside
the app: np-guard's network-config-analyzer allows exactly what the app says
it connects, and the wiring graph holds the same. The expected connections
come from the generator, which knows what each reference it wrote reaches."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.netpol import INTERNET, Conn, Pod, connectivity, render
from tests.wired import dns, graph_connections
from tiers import App, EgressTo, IngressFrom, Port, Storage, Tier
from tiers.compiler import compile_app
from tiers.model.app import EnvValue

PROMETHEUS = Pod("monitoring", "prometheus", {"app.kubernetes.io/name": "prometheus"})
PORTS = (80, 5432, 6379, 8080, 9090)


@dataclass
class Plan:
    """One random tier: its ports, how it is run, and whom it calls."""

    name: str
    ports: list[int]
    replicas: int
    stateful: bool
    peers: bool | list[int] | None
    calls: list[tuple[int, int, str]] = field(default_factory=list)
    """(tier index, container port, how): ``how`` is a reference form or ``calls``."""
    scraped: bool = False
    egress: str | None = None


HOW = ("host", "port", "url", "address", "f-string", "plus", "calls", "calls-port")


@st.composite
def plans(draw: st.DrawFn) -> list[Plan]:
    count = draw(st.integers(2, 4))
    tiers = []
    for index in range(count):
        ports = draw(st.lists(st.sampled_from(PORTS), min_size=1, max_size=2, unique=True))
        stateful = draw(st.booleans())
        peers = draw(st.sampled_from([None, True, False, [ports[-1]]]))
        tiers.append(Plan(f"t{index}", ports, draw(st.integers(1, 3)), stateful, peers))
    for plan in tiers:
        others = [i for i, t in enumerate(tiers) if t is not plan]
        for target in draw(st.lists(st.sampled_from(others), max_size=2, unique=True)):
            port = draw(st.sampled_from(tiers[target].ports))
            plan.calls.append((target, port, draw(st.sampled_from(HOW))))
        plan.scraped = draw(st.booleans())
        plan.egress = draw(st.sampled_from([None, "internet", "cidr"]))
    return tiers


def build(plans: list[Plan]) -> App:
    """The app the plans describe: every tier made first, then its references."""
    app = App("prop")
    tiers = [app.add(_tier(plan)) for plan in plans]
    for plan, tier in zip(plans, tiers, strict=False):
        for number, (target, port, how) in enumerate(plan.calls):
            _call(tier, tiers[target], port, how, f"DEP_{number}")
    return app


def _tier(plan: Plan) -> Tier:
    scrape = IngressFrom(
        namespace="monitoring", pods=dict(PROMETHEUS.labels), ports=[plan.ports[0]]
    )
    return Tier(
        plan.name,
        image="registry.example.com/prop:1.0.0",
        replicas=plan.replicas,
        ports=[Port(p, f"p{p}") for p in plan.ports],
        storage=Storage(mount_path="/data") if plan.stateful else None,
        peers=plan.peers,
        ingress_from=[scrape] if plan.scraped else [],
        egress_to=_egress(plan.egress),
    )


def _call(tier: Tier, other: Tier, port: int, how: str, env: str) -> None:
    references: dict[str, EnvValue] = {
        "host": other.host,
        "port": other.port_ref(port),
        "url": other.url(port=port, path="/v1"),
        "address": other.address(port),
        "f-string": f"tcp://{other.host}:{other.port_ref(port)}",
        "plus": "redis://" + other.address(port) + "/0",
    }
    if how == "calls":
        tier.calls.append(other)
    elif how == "calls-port":
        tier.calls.append(other.port_ref(port))
    else:
        tier.env[env] = references[how]


def _egress(kind: str | None) -> list[EgressTo]:
    if kind == "internet":
        return [EgressTo(internet=True, ports=[443])]
    if kind == "cidr":
        return [EgressTo(cidrs=["203.0.113.0/24"], ports=[5432])]
    return []


def expected(plans: list[Plan]) -> set[Conn]:
    """What the plans connect: each reference to its port (a host, or a call
    to a tier, reaches every port of the tier's Service), peers, Prometheus,
    egress, and DNS."""
    key = {plan.name: f"prop/{plan.name}" for plan in plans}
    found: set[Conn] = set()
    for plan in plans:
        source = key[plan.name]
        found |= dns(source)
        for target, port, how in plan.calls:
            other = plans[target]
            ports = other.ports if how in ("host", "calls") else [port]
            found |= {Conn(source, key[other.name], f"TCP/{p}") for p in ports}
        for port in _peer_ports(plan):
            found.add(Conn(source, source, f"TCP/{port}"))
        if plan.scraped:
            found.add(Conn("monitoring/prometheus", source, f"TCP/{plan.ports[0]}"))
        if plan.egress == "internet":
            found.add(Conn(source, INTERNET, "TCP/443"))
        if plan.egress == "cidr":
            found.add(Conn(source, "203.0.113.0/24", "TCP/5432"))
    return found


def _peer_ports(plan: Plan) -> list[int]:
    """The ports a tier's pods reach each other on, as the analyzer sees them
    (only between two pods or more)."""
    if plan.replicas < 2 or plan.peers is False:
        return []
    if plan.peers is None:
        return plan.ports if plan.stateful else []
    return plan.ports if plan.peers is True else plan.peers


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_the_analyzer_agrees_with_the_graph_and_the_app(drawn: list[Plan]) -> None:
    compiled = compile_app(build(drawn))
    docs = [dict(r.manifest) for r in compiled.objects]
    found = connectivity(docs, [PROMETHEUS])
    wanted = expected(drawn)
    assert found == wanted, (
        f"allowed but not made:\n{render(found - wanted)}\n"
        f"made but denied:\n{render(wanted - found)}"
    )
    assert graph_connections(compiled.app, docs, [PROMETHEUS]) == wanted
