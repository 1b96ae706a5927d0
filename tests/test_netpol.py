"""The NetworkPolicies tiers writes, checked by np-guard's network-config-analyzer.

For every example, the connections the analyzer finds allowed are exactly
those of the app's wiring graph, plus DNS: every needed connection allowed,
nothing else between tiers. The analyzer is shown able to fail first, on
policies written by hand and on an example with one rule taken out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import k8s
from tests.conftest import ALL_EXAMPLES, EXAMPLE_ENV, EXAMPLES, run_tiers
from tests.netpol import ANYWHERE, DNS, Conn, Pod, connectivity, excluding, render
from tests.tools import kustomize
from tests.wired import dns, graph_connections, outside_pods
from tiers.compiler import compile_app, validate
from tiers.loader import load_app

DATA = Path(__file__).parent / "data" / "netpol"


def built(path: Path) -> tuple[Any, list[dict[str, Any]]]:
    """The resolved app at ``path`` and the objects tiers builds for it."""
    compiled = compile_app(load_app(str(path)))
    return compiled.app, [dict(r.manifest) for r in compiled.objects]


def load_and_resolve(path: Path) -> Any:
    """The resolved app at ``path``."""
    return validate(load_app(str(path)))[0]


def example(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[dict[str, Any]]]:
    for key, value in EXAMPLE_ENV.get(name, {}).items():
        monkeypatch.setenv(key, value)
    return built(EXAMPLES / f"{name}.py")


def test_the_analyzer_reads_ports_ranges_addresses_and_peers() -> None:
    docs = [d for d in yaml.safe_load_all((DATA / "handwritten.yaml").read_text()) if d]
    private = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    public = excluding("0.0.0.0/0", *private)
    expected = {
        *dns("shop/a"),
        Conn("shop/a", public, "TCP/443"),
        Conn("shop/a", "203.0.113.0/24", "TCP/5432"),
        Conn("shop/a", "shop/b", "TCP/7000"),
        Conn("shop/a", "shop/b", "UDP/7001"),
        *(Conn("shop/b", "shop/a", f"TCP/{port}") for port in [80, 443, *range(9000, 9011)]),
        Conn("shop/b", "shop/a", "UDP/53"),
        Conn("shop/b", "shop/b", "TCP/2888"),
        Conn("shop/b", "shop/b", "TCP/3888"),
    }
    assert connectivity(docs) == expected


def test_the_analyzer_finds_a_connection_a_policy_denies(monkeypatch: pytest.MonkeyPatch) -> None:
    app, docs = example("multi_tier", monkeypatch)
    policy = next(d for d in docs if d["metadata"]["name"] == "backend-network-policy")
    policy["spec"]["egress"] = policy["spec"]["egress"][-1:]  # DNS only
    found = connectivity(docs, outside_pods(app))
    assert graph_connections(app, docs, outside_pods(app)) - found == {
        Conn("shop/backend", "shop/mysql", "TCP/3306")
    }


def test_the_analyzer_finds_a_connection_no_one_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    app, docs = example("multi_tier", monkeypatch)
    policies = {d["metadata"]["name"]: d for d in docs if d["kind"] == "NetworkPolicy"}
    mysql, frontend = policies["mysql-network-policy"], policies["frontend-network-policy"]
    mysql["spec"]["ingress"][0]["from"] = [{"podSelector": {}}]  # every pod of the namespace
    frontend["spec"]["egress"] = [{}]  # anywhere
    extra = connectivity(docs, outside_pods(app)) - graph_connections(app, docs, outside_pods(app))
    assert Conn("shop/frontend", "shop/mysql", "TCP/3306") in extra


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_example_allows_exactly_its_graph(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app, docs = example(name, monkeypatch)
    found = connectivity(docs, outside_pods(app))
    expected = graph_connections(app, docs, outside_pods(app))
    assert found == expected, (
        f"allowed but not in the graph:\n{render(found - expected)}\n"
        f"in the graph but denied:\n{render(expected - found)}"
    )


def test_dns_and_anywhere_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    app, docs = example("multi_tier", monkeypatch)
    found = connectivity(docs, outside_pods(app))
    assert Conn(ANYWHERE, "shop/frontend", "TCP/80") in found
    assert dns("shop/mysql") <= found
    assert not any(c.source == DNS for c in found)


OVERLAYS = {
    "commonLabels": "commonLabels:\n  team: shop\n",
    "labels with selectors": "labels:\n- pairs:\n    team: shop\n  includeSelectors: true\n",
}
PAYMENTS = Path(__file__).parent / "data" / "apps" / "payments" / "app.py"
OUTSIDE = [
    Pod("monitoring", "prometheus", {"app.kubernetes.io/name": "prometheus"}),
    Pod("ingress-nginx", "controller", {"app.kubernetes.io/name": "ingress-nginx"}),
]


@pytest.mark.parametrize("overlay", list(OVERLAYS))
@pytest.mark.parametrize(
    "path", [EXAMPLES / "multi_tier.py", PAYMENTS], ids=["multi_tier", "payments"]
)
def test_an_overlays_common_labels_keep_dns_and_the_wiring(
    overlay: str, path: Path, tmp_path: Path
) -> None:
    """kustomize's label transformer adds its labels to every pod and to the
    ``matchLabels`` of ``spec.podSelector`` and of the ``podSelector`` of each
    ingress ``from`` and egress ``to`` (its ``commonLabels`` field specs);
    selectors of pods outside the app must not be rewritten with them."""
    result = run_tiers("build", str(path), "-o", str(tmp_path / "base"))
    assert result.returncode == 0, result.stderr
    (tmp_path / "overlay").mkdir()
    kustomization = f"resources:\n- ../base\n{OVERLAYS[overlay]}"
    (tmp_path / "overlay" / "kustomization.yaml").write_text(kustomization, encoding="utf-8")
    docs = kustomize(tmp_path / "overlay")
    assert all(k8s.pod_labels(w).get("team") == "shop" for w in k8s.workloads(docs))
    app = load_and_resolve(path)
    found = connectivity(docs, OUTSIDE)
    assert found == graph_connections(app, docs, OUTSIDE)
    assert any(c.target == DNS for c in found)


def _as_match_labels(value: Any) -> Any:
    """``value`` with each ``matchExpressions`` selector written as ``matchLabels``."""
    if isinstance(value, list):
        return [_as_match_labels(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "matchExpressions" in value:
        return {"matchLabels": {e["key"]: e["values"][0] for e in value["matchExpressions"]}}
    return {k: _as_match_labels(v) for k, v in value.items()}


def test_common_labels_over_match_labels_would_deny_dns(tmp_path: Path) -> None:
    """The negative control: written as matchLabels, the DNS peer gets the
    overlay's labels, which kube-dns does not have, and the analyzer sees DNS denied."""
    result = run_tiers("build", str(EXAMPLES / "multi_tier.py"), "-o", str(tmp_path / "base"))
    assert result.returncode == 0, result.stderr
    for path in (tmp_path / "base").glob("*.yaml"):
        docs = [_as_match_labels(d) for d in yaml.safe_load_all(path.read_text()) if d]
        path.write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    (tmp_path / "overlay").mkdir()
    kustomization = f"resources:\n- ../base\n{OVERLAYS['commonLabels']}"
    (tmp_path / "overlay" / "kustomization.yaml").write_text(kustomization, encoding="utf-8")
    found = connectivity(kustomize(tmp_path / "overlay"))
    assert not any(c.target == DNS for c in found)
    assert Conn("shop/backend", "shop/mysql", "TCP/3306") in found
