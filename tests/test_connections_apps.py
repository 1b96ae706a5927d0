"""Multi-service apps written the way their authors wire them
(``tests/data/apps/``): np-guard's network-config-analyzer finds every
connection each app makes allowed, and nothing else; the wiring graph holds
the same connections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_tiers
from tests.netpol import INTERNET, Conn, Pod, connectivity, render
from tests.wired import dns, graph_connections
from tiers.compiler import validate
from tiers.loader import load_app

APPS = Path(__file__).parent / "data" / "apps"
NAMES = sorted(p.name for p in APPS.iterdir() if (p / "app.py").is_file())


def expected(name: str) -> tuple[set[Conn], list[Pod]]:
    """The connections ``connections.txt`` lists, and the pods outside the app."""
    conns: set[Conn] = set()
    outside = []
    for line in (APPS / name / "connections.txt").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "outside":
            namespace, pod = words[1].split("/")
            outside.append(Pod(namespace, pod, dict(w.split("=", 1) for w in words[2:])))
            continue
        source, arrow, target, *ports = words
        assert arrow == "->" and ports, f"{name}: cannot read {line!r}"
        target = INTERNET if target == "internet" else target
        conns |= {Conn(source, target, port) for port in ports}
    return conns, outside


def built(name: str) -> tuple[Any, list[dict[str, Any]]]:
    """The app's graph (resolved) and the objects ``tiers build`` writes, warnings refused."""
    path = APPS / name / "app.py"
    result = run_tiers("build", str(path))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    app = validate(load_app(str(path)))[0]
    return app, [d for d in yaml.safe_load_all(result.stdout) if d is not None]


def workloads(docs: list[dict[str, Any]]) -> set[str]:
    found = [d["metadata"] for d in docs if d["kind"] in ("Deployment", "StatefulSet")]
    return {f"{meta['namespace']}/{meta['name']}" for meta in found}


def test_there_are_six_apps_at_least() -> None:
    assert len(NAMES) >= 6


@pytest.mark.parametrize("name", NAMES)
def test_the_analyzer_allows_exactly_what_the_app_connects(name: str) -> None:
    _, docs = built(name)
    wanted, outside = expected(name)
    wanted |= {c for workload in workloads(docs) for c in dns(workload)}
    found = connectivity(docs, outside)
    assert found == wanted, (
        f"allowed but not made:\n{render(found - wanted)}\n"
        f"made but denied:\n{render(wanted - found)}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_the_graph_holds_what_the_app_connects(name: str) -> None:
    app, docs = built(name)
    wanted, outside = expected(name)
    wanted |= {c for workload in workloads(docs) for c in dns(workload)}
    found = graph_connections(app, docs, outside)
    assert found == wanted, (
        f"in the graph but not made:\n{render(found - wanted)}\n"
        f"made but not in the graph:\n{render(wanted - found)}"
    )
