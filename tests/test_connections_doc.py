"""The Connections page (``docs/connections.md``) is tiers' own output: its app runs, its
graph and its NetworkPolicy are what ``tiers graph`` and ``tiers build`` write,
its warnings are those of ``tests/bad/connections_silent.py``, and
network-config-analyzer allows exactly the connections the section lists.
Regenerate the blocks with ``TIERS_UPDATE_DOCS=1``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from tests.conftest import ROOT, run_tiers
from tests.netpol import ANYWHERE, INTERNET, Conn, Pod, connectivity
from tests.tools import mermaid_parse
from tests.wired import dns

README = ROOT / "docs" / "connections.md"
UPDATE = os.environ.get("TIERS_UPDATE_DOCS") == "1"
PROMETHEUS = Pod("monitoring", "prometheus", {"app.kubernetes.io/name": "prometheus"})


def block(marker: str) -> str:
    found = re.search(f"<!-- {marker} -->\n```\\w+\n(.*?)```", README.read_text(), re.DOTALL)
    assert found, f"docs/connections.md lacks the block after <!-- {marker} -->"
    return found[1]


def replace(marker: str, text: str) -> None:
    old = block(marker)
    readme = README.read_text()
    head = f"<!-- {marker} -->\n"
    start = readme.index(head) + len(head)
    start = readme.index(old, start)
    README.write_text(readme[:start] + text + readme[start + len(old) :])


def app_file(tmp_path: Path) -> Path:
    path = tmp_path / "app.py"
    path.write_text(block("connections app"))
    return path


def check(marker: str, actual: str) -> None:
    if UPDATE:
        replace(marker, actual)
    assert block(marker) == actual


def test_the_graph_is_the_apps(tmp_path: Path) -> None:
    result = run_tiers("graph", str(app_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    check("connections graph", result.stdout)


def built(tmp_path: Path) -> list[dict[str, object]]:
    result = run_tiers("build", str(app_file(tmp_path)))
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def test_the_policy_is_the_apps(tmp_path: Path) -> None:
    [policy] = [d for d in built(tmp_path) if d["metadata"]["name"] == "api-network-policy"]  # type: ignore[index]
    check("connections policy", yaml.safe_dump(policy["spec"], sort_keys=False))


def test_the_analyzer_allows_what_the_section_says(tmp_path: Path) -> None:
    peers = {Conn("shop/zk", "shop/zk", f"TCP/{p}") for p in (2181, 2888, 3888)}
    expected = {
        *(c for w in ("zk", "postgres", "api", "web") for c in dns(f"shop/{w}")),
        *peers,
        Conn("shop/api", "shop/postgres", "TCP/5432"),
        Conn("shop/api", "shop/zk", "TCP/2181"),
        Conn("shop/api", INTERNET, "TCP/443"),
        Conn("monitoring/prometheus", "shop/api", "TCP/9090"),
        Conn("shop/web", "shop/api", "TCP/8080"),
        Conn(ANYWHERE, "shop/web", "TCP/8080"),
    }
    assert connectivity(built(tmp_path), [PROMETHEUS]) == expected


def test_the_warnings_are_the_bad_apps() -> None:
    expected = (ROOT / "tests" / "bad" / "connections_silent.expected").read_text().splitlines()
    shown = block("connections warnings").splitlines()
    if UPDATE:
        wanted = [line for line in expected if "cache-replica" in line or "env." in line][:4]
        replace("connections warnings", "\n".join(wanted) + "\n")
        shown = block("connections warnings").splitlines()
    assert len(shown) >= 3
    assert all(line in expected for line in shown)


def test_mermaid_reads_the_graph_of_calls_peers_and_the_outside() -> None:
    [parsed] = mermaid_parse(block("connections graph"))
    edges = {(e["source"], e["target"], e["text"]) for e in parsed["edges"]}
    assert {("t4", "t3", "calls :80"), ("t2", "t2", "peers :2181,2888,3888")} <= edges
    assert {("o1", "t3", "ingress_from :9090"), ("t3", "o2", "egress_to :443")} <= edges
