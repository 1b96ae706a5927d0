"""tiers graph: the wiring as Mermaid, DOT and SVG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, run_tiers
from tests.tools import ensure_tool, mermaid_parse
from tiers.compiler import compile_app
from tiers.graph import dot, mermaid
from tiers.loader import load_app

MULTI_TIER = str(EXAMPLES / "multi_tier.py")
ODD = '`odd "x" <y> #1 & \\z'
"""Names are checked before any diagram is drawn; the escaping is tested on this one."""

WIRED = """\
from tiers import App, Backend, ExternalService, MySQL, NotSecret, Service, ServicePort, Tier

app = App("wired")
ldap = app.add(ExternalService("ldap", namespace="identity", ports=[389]))
odd = app.add(ExternalService("odd", namespace="n", ports=[7]))
db = app.add(MySQL("db", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, service="Headless"))
api = app.add(
    Backend(
        "api",
        image="api:1.0",
        env={"DB_HOST": db.host, "LDAP_URL": ldap.url(scheme="ldap"), "ODD": odd.host},
    )
)
app.add(Tier("worker", image="worker:1.0", service="None", env={"API": api.url(path="/#x")}))
"""


def graph(*args: str) -> str:
    result = run_tiers("graph", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_mermaid_diagrams_parse_with_mermaid_itself(tmp_path: Path) -> None:
    app = tmp_path / "wired.py"
    app.write_text(WIRED)
    wired = graph(str(app), "--format", "mermaid")
    resolved = compile_app(load_app(str(app))).app
    next(e for e in resolved.edges if e.target == "odd").target = ODD
    odd = mermaid(resolved)
    multi_tier, parsed, escaped = mermaid_parse(graph(MULTI_TIER), wired, odd)
    nodes = {n["id"]: n["text"] for n in multi_tier["nodes"]}
    assert nodes["t3"] == "frontend<br>Frontend · Deployment<br>frontend-service: LoadBalancer :80"
    edges = {(e["source"], e["target"], e["text"]) for e in multi_tier["edges"]}
    assert edges == {("t2", "t1", "DB_HOST :3306"), ("t3", "t2", "API_URL :80")}
    nodes = {n["id"]: n["text"] for n in parsed["nodes"]}
    assert nodes["x1"] == "ldap<br>external Service ldap<br>namespace identity"
    assert "db-service: Headless :3306" in nodes["t1"]
    assert "no Service" in nodes["t3"]
    labels = sorted(e["text"] for e in parsed["edges"])
    assert labels == ["API :80", "DB_HOST :3306", "LDAP_URL :389", "ODD"]
    assert "class x1,x2 external" in wired
    shown = {n["id"]: n["text"] for n in escaped["nodes"]}
    assert shown["x2"].startswith(ODD + "<br>")
    assert ODD not in odd


def test_external_headless_and_serviceless_tiers_as_svg(tmp_path: Path) -> None:
    app = tmp_path / "wired.py"
    app.write_text(WIRED)
    svg = graph(str(app), "--format", "svg")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for word in ("worker", "LDAP_URL :389", "db&#45;service: Headless :3306", "ODD"):
        assert word in svg


def test_dot_escapes_what_graphviz_would_read_as_markup(tmp_path: Path) -> None:
    app = tmp_path / "wired.py"
    app.write_text(WIRED)
    resolved = compile_app(load_app(str(app))).app
    next(e for e in resolved.edges if e.target == "odd").target = ODD
    done = subprocess.run(
        [ensure_tool("dot"), "-Tsvg"], input=dot(resolved), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert ">`odd &quot;x&quot; &lt;y&gt; #1 &amp; \\z</text>" in done.stdout


def test_dot_is_what_graphviz_reads() -> None:
    text = graph(MULTI_TIER, "--format", "dot")
    assert 't3 -> t2 [label="API_URL :80"];' in text
    done = subprocess.run(
        [ensure_tool("dot"), "-Tsvg"], input=text, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == graph(MULTI_TIER, "--format", "svg")


def test_svg_without_graphviz_says_so_and_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "tiers", "graph", MULTI_TIER, "--format", "svg"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PATH": str(empty)},
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "needs Graphviz's 'dot' program, which is not on PATH" in result.stderr
    assert "--format dot" in result.stderr


def test_an_invalid_app_is_not_drawn(tmp_path: Path) -> None:
    app = tmp_path / "bad.py"
    app.write_text("from tiers import App, Tier\napp = App('x')\napp.add(Tier('a', image=3))\n")
    result = run_tiers("graph", str(app))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "bad.py:3: error: tier 'a', image:" in result.stderr


def test_the_readme_diagram_is_the_tools_output() -> None:
    readme = (ROOT / "docs" / "gitops.md").read_text()
    found = re.search(
        r"<!-- tiers graph examples/multi_tier.py -->\n```mermaid\n(.*?)```", readme, re.DOTALL
    )
    assert found, "docs/gitops.md lacks the multi-tier diagram"
    assert found.group(1) == graph("examples/multi_tier.py")
