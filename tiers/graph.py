"""Diagrams of an app's wiring, drawn from the resolved app (the IR).

Each tier is a node that says its kind, its workload kind and its Services
(name, type, ports); each reference is an edge from the tier that holds it to
the tier it reaches, labelled with the env var and the Service port (a
declared call: ``calls``; a tier's pods talking to each other: a loop
labelled ``peers``). Jobs, CronJobs and DaemonSets have shapes of their own
(a parallelogram, a hexagon, a stack), a CronJob says its schedule, and a Job
that runs before other tiers has a dashed arrow "runs before" to each.
External Services, and what a tier admits from or calls outside the app
(``ingress_from``, ``egress_to``: namespaces, pods, hosts, CIDRs, the internet),
are dashed nodes that say what they are. Three formats:
Mermaid (renders as is on GitHub and GitLab), Graphviz DOT, and SVG drawn by
Graphviz's ``dot``, which must be installed.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal, get_args

from tiers import ir
from tiers.errors import UsageError

Format = Literal["mermaid", "dot", "svg"]
FORMATS: tuple[Format, ...] = get_args(Format)


Shape = Literal["box", "job", "cronjob", "daemonset"]
SHAPES: dict[str, Shape] = {"Job": "job", "CronJob": "cronjob", "DaemonSet": "daemonset"}
"""Workload kind → the shape of its tiers' nodes (others: ``box``)."""
MERMAID_SHAPES = {
    "box": ("[", "]"),
    "job": ("[/", "/]"),
    "cronjob": ("{{", "}}"),
    "daemonset": ("[[", "]]"),
}
DOT_SHAPES = {"box": "", "job": "parallelogram", "cronjob": "hexagon", "daemonset": "box3d"}


@dataclass(frozen=True)
class Node:
    """A box of the diagram: ``lines[0]`` is its name."""

    id: str
    lines: list[str]
    external: bool = False
    shape: Shape = "box"


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str
    dashed: bool = False


def nodes_and_arrows(app: ir.App) -> tuple[list[Node], list[Arrow]]:
    """The diagram of ``app``: tiers in dependency order, then external Services."""
    tier_ids = {t.name: f"t{i}" for i, t in enumerate(app.tiers, 1)}
    nodes = [
        Node(tier_ids[t.name], _tier_lines(t), shape=SHAPES.get(t.workload.kind, "box"))
        for t in app.tiers
    ]
    external_ids, external_nodes = _externals(app)
    nodes += external_nodes
    arrows = []
    ports_of = _service_ports(app)
    for edge in app.edges:
        target = (external_ids if edge.external else tier_ids).get(edge.target)
        if edge.source in tier_ids and target is not None:
            arrows.append(Arrow(tier_ids[edge.source], target, _edge_label(edge, ports_of)))
    for tier in app.tiers:
        for later in tier.rollout.before if tier.rollout is not None else []:
            if later in tier_ids:
                arrows.append(Arrow(tier_ids[tier.name], tier_ids[later], "runs before", True))
    outside = _outside(app, tier_ids, nodes)
    return nodes, arrows + outside


def _outside(app: ir.App, tier_ids: dict[str, str], nodes: list[Node]) -> list[Arrow]:
    """The arrows of peers and of connections to and from outside the app,
    adding a dashed node for each other end (one per label)."""
    ids: dict[str, str] = {}
    arrows = []
    for tier in app.tiers:
        own = tier_ids[tier.name]
        if tier.peers:
            arrows.append(Arrow(own, own, "peers " + _ports(tier.peers)))
        for rule in tier.outside:
            if rule.label not in ids:
                ids[rule.label] = f"o{len(ids) + 1}"
                nodes.append(Node(ids[rule.label], [rule.label, "outside the app"], external=True))
            ends = (ids[rule.label], own) if rule.direction == "ingress" else (own, ids[rule.label])
            arrows.append(Arrow(*ends, rule.origin.split("[")[0] + " " + _ports(rule.ports)))
    return arrows


def _ports(ports: list[ir.PolicyPort]) -> str:
    return ":" + ",".join(
        str(p.port) if p.protocol == "TCP" else f"{p.port}/{p.protocol}" for p in ports
    )


def _externals(app: ir.App) -> tuple[dict[str, str], list[Node]]:
    """The external Services' nodes: those referenced, in the order of their
    first reference, then the others the app declares."""
    known = {(e.meta.namespace, e.meta.name): e for e in app.externals}
    ids: dict[str, str] = {}
    nodes = []
    referenced = [(e.target, e.namespace, e.service) for e in app.edges if e.external]
    declared = [(e.meta.name, e.meta.namespace, e.meta.name) for e in app.externals]
    for name, namespace, service in [*referenced, *declared]:
        if name in ids:
            continue
        ids[name] = f"x{len(ids) + 1}"
        lines = [
            name,
            *_external_lines(known.get((namespace, name)), service),
            f"namespace {namespace}",
        ]
        nodes.append(Node(ids[name], lines, external=True))
    return ids, nodes


def _external_lines(external: ir.ExternalService | None, service: str) -> list[str]:
    if external is not None and external.external_name is not None:
        return [f"ExternalName {external.external_name}"]
    if external is not None and external.addresses:
        return [f"Service without selector: {', '.join(external.addresses)}"]
    return [f"external Service {service}"]


def _tier_lines(tier: ir.Tier) -> list[str]:
    workload = tier.workload
    kind = tier.kind if tier.kind == workload.kind else f"{tier.kind} · {workload.kind}"
    lines = [tier.name, kind]
    if workload.cron is not None:
        zone = f" ({workload.cron.time_zone})" if workload.cron.time_zone else ""
        lines.append(f"schedule {workload.cron.schedule}{zone}")
    hosts = [v.host_path for v in workload.volumes if v.host_path is not None]
    if hosts:
        lines.append(f"host paths {', '.join(hosts)}")
    for service in tier.services:
        kind = "Headless" if service.headless else service.type
        ports = ",".join(str(p.port) for p in service.ports)
        lines.append(f"{service.meta.name}: {kind}" + (f" :{ports}" if ports else ""))
    if not tier.services and workload.job is None:
        lines.append("no Service")
    return lines


def _service_ports(app: ir.App) -> dict[tuple[str, str], list[int]]:
    """(tier, Service) → the Service's ports, in order, looked up per edge."""
    found: dict[tuple[str, str], list[int]] = {}
    for t in app.tiers:
        for s in t.services:
            found.setdefault((t.name, s.meta.name), []).extend(p.port for p in s.ports)
    return found


def _edge_label(edge: ir.Edge, ports_of: dict[tuple[str, str], list[int]]) -> str:
    port = edge.port
    if port is None:
        ports = [] if edge.external else ports_of.get((edge.target, edge.service), [])
        port = ports[0] if len(ports) == 1 else None
    label = edge.env if edge.via == "env" else edge.via
    return label if port is None else f"{label} :{port}"


def mermaid(app: ir.App) -> str:
    """A Mermaid flowchart, every label quoted and escaped."""
    nodes, arrows = nodes_and_arrows(app)
    out = ["flowchart LR"]
    for node in nodes:
        text = "<br/>".join(_mermaid_text(line) for line in node.lines)
        opening, closing = MERMAID_SHAPES[node.shape]
        out.append(f'  {node.id}{opening}"{text}"{closing}')
    for arrow in arrows:
        link = "-.->" if arrow.dashed else "-->"
        out.append(f'  {arrow.source} {link}|"{_mermaid_text(arrow.label)}"| {arrow.target}')
    externals = [n.id for n in nodes if n.external]
    if externals:
        out.append("  classDef external stroke-dasharray: 5 5")
        out.append(f"  class {','.join(externals)} external")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    entities = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
    return "".join(entities.get(c, c) for c in text)


def dot(app: ir.App) -> str:
    """A Graphviz digraph, left to right."""
    nodes, arrows = nodes_and_arrows(app)
    out = [
        f"digraph {_dot_text(app.name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in nodes:
        label = _dot_text("\n".join(node.lines))
        style = ', style="rounded,dashed"' if node.external else ""
        shape = f", shape={DOT_SHAPES[node.shape]}" if DOT_SHAPES[node.shape] else ""
        out.append(f"  {node.id} [label={label}{shape}{style}];")
    for arrow in arrows:
        dashed = ", style=dashed" if arrow.dashed else ""
        label = _dot_text(arrow.label)
        out.append(f"  {arrow.source} -> {arrow.target} [label={label}{dashed}];")
    return "\n".join([*out, "}"]) + "\n"


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def svg(app: ir.App) -> str:
    """The DOT diagram drawn as SVG by Graphviz's ``dot``.

    Raises :class:`~tiers.errors.UsageError` when ``dot`` is not installed.
    """
    program = shutil.which("dot")
    if program is None:
        raise UsageError(
            "--format svg needs Graphviz's 'dot' program, which is not on PATH. "
            "Install Graphviz (apt-get install graphviz, brew install graphviz), "
            "or use --format dot or --format mermaid"
        )
    done = subprocess.run(
        [program, "-Tsvg"], input=dot(app), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise UsageError(f"Graphviz's dot failed: {done.stderr.strip()}")
    return done.stdout


def draw(app: ir.App, fmt: Format) -> str:
    """``app`` in ``fmt``: ``mermaid``, ``dot`` or ``svg``."""
    return {"mermaid": mermaid, "dot": dot, "svg": svg}[fmt](app)
