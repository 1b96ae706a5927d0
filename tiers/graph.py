"""Diagrams of an app's wiring, drawn from the resolved app (the IR).

Each tier is a node that says its kind, its workload kind and its Services
(name, type, ports); each reference is an edge from the tier that holds it to
the tier it reaches, labelled with the env var and the Service port (a
declared call: ``calls``; a tier's pods talking to each other: a loop
labelled ``peers``). Services managed elsewhere (``ExternalService``) and
what a tier admits from or calls outside the app (``ingress_from``,
``egress_to``: namespaces, pods, hosts, CIDRs, the internet) are dashed nodes. Three formats:
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


@dataclass(frozen=True)
class Node:
    """A box of the diagram: ``lines[0]`` is its name."""

    id: str
    lines: list[str]
    external: bool = False


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str


def nodes_and_arrows(app: ir.App) -> tuple[list[Node], list[Arrow]]:
    """The diagram of ``app``: tiers in dependency order, then external Services."""
    tier_ids = {t.name: f"t{i}" for i, t in enumerate(app.tiers, 1)}
    nodes = [Node(tier_ids[t.name], _tier_lines(t)) for t in app.tiers]
    external_ids: dict[str, str] = {}
    for edge in app.edges:
        if edge.external and edge.target not in external_ids:
            external_ids[edge.target] = f"x{len(external_ids) + 1}"
            lines = [edge.target, f"external Service {edge.service}", f"namespace {edge.namespace}"]
            nodes.append(Node(external_ids[edge.target], lines, external=True))
    arrows = []
    for edge in app.edges:
        target = (external_ids if edge.external else tier_ids).get(edge.target)
        if edge.source in tier_ids and target is not None:
            arrows.append(Arrow(tier_ids[edge.source], target, _edge_label(app, edge)))
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


def _tier_lines(tier: ir.Tier) -> list[str]:
    lines = [tier.name, f"{tier.kind} · {tier.workload.kind}"]
    for service in tier.services:
        kind = "Headless" if service.headless else service.type
        ports = ",".join(str(p.port) for p in service.ports)
        lines.append(f"{service.meta.name}: {kind}" + (f" :{ports}" if ports else ""))
    if not tier.services:
        lines.append("no Service")
    return lines


def _edge_label(app: ir.App, edge: ir.Edge) -> str:
    port = edge.port
    if port is None:
        ports = [
            p.port
            for t in app.tiers
            if t.name == edge.target and not edge.external
            for s in t.services
            if s.meta.name == edge.service
            for p in s.ports
        ]
        port = ports[0] if len(ports) == 1 else None
    label = edge.env if edge.via == "env" else edge.via
    return label if port is None else f"{label} :{port}"


def mermaid(app: ir.App) -> str:
    """A Mermaid flowchart, every label quoted and escaped."""
    nodes, arrows = nodes_and_arrows(app)
    out = ["flowchart LR"]
    for node in nodes:
        text = "<br/>".join(_mermaid_text(line) for line in node.lines)
        out.append(f'  {node.id}["{text}"]')
    for arrow in arrows:
        out.append(f'  {arrow.source} -->|"{_mermaid_text(arrow.label)}"| {arrow.target}')
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
        out.append(f"  {node.id} [label={label}{style}];")
    for arrow in arrows:
        out.append(f"  {arrow.source} -> {arrow.target} [label={_dot_text(arrow.label)}];")
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
