"""Connections beyond a plain reference: addresses, references inside longer
strings, declared calls, peers, patches of NetworkPolicies. What each form
opens is checked with np-guard's network-config-analyzer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_tiers
from tests.netpol import Conn, connectivity
from tests.wired import dns
from tiers import App, Backend, MySQL, NotSecret, Patch, Port, Storage, Tier
from tiers.compiler import compile_app, validate


def env_of(app: App, tier: str) -> dict[str, str]:
    compiled = compile_app(app)
    [resolved] = [t for t in compiled.app.tiers if t.name == tier]
    return {e.name: e.value for e in resolved.workload.containers[0].env}


def shop() -> tuple[App, MySQL, Tier]:
    app = App("shop")
    db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    cache = app.add(Tier("cache", image="redis:7.2.5", ports=[Port(6379, "redis")]))
    return app, db, cache


def docs_of(app: App) -> list[dict[str, Any]]:
    return [dict(r.manifest) for r in compile_app(app).objects]


def test_an_address_is_host_and_port() -> None:
    app, db, cache = shop()
    app.add(Backend("api", image="api:1.0", env={"DB": db.address(), "C": cache.address(6379)}))
    assert env_of(app, "api") == {"DB": "mysql-service:3306", "C": "cache-service:6379"}


def test_an_address_across_namespaces_is_a_fqdn() -> None:
    app, _, _ = shop()
    search = app.add(Tier("search", image="s:1.0", namespace="search", ports=[9200]))
    app.add(Backend("api", image="api:1.0", env={"S": search.address()}))
    assert env_of(app, "api") == {"S": "search-service.search.svc.cluster.local:9200"}


def test_references_compose_in_f_strings_plus_format_and_percent() -> None:
    app, db, cache = shop()
    env = {
        "JDBC": f"jdbc:mysql://{db.host}:{db.port_ref()}/shop",
        "LIST": f"{db.address()},{cache.address()}",
        "REDIS": f"redis://{cache.address()}/0",
        "PLUS": "redis://" + cache.address() + "/1",
        "FORMAT": "{}:{}".format(db.host, db.port_ref()),  # noqa: UP032 (the form under test)
        "PERCENT": "mysql://%s" % db.address(),  # noqa: UP031
        "TWO": db.host + db.port_ref(),
    }
    app.add(Backend("api", image="api:1.0", env=env))  # type: ignore[arg-type]
    assert env_of(app, "api") == {
        "JDBC": "jdbc:mysql://mysql-service:3306/shop",
        "LIST": "mysql-service:3306,cache-service:6379",
        "REDIS": "redis://cache-service:6379/0",
        "PLUS": "redis://cache-service:6379/1",
        "FORMAT": "mysql-service:3306",
        "PERCENT": "mysql://mysql-service:3306",
        "TWO": "mysql-service3306",
    }


def test_every_reference_in_a_string_is_an_edge() -> None:
    app, db, cache = shop()
    env = {"BOTH": f"{db.address()},{cache.address()}", "JDBC": f"{db.host}:{db.port_ref()}"}
    app.add(Backend("api", image="api:1.0", env=env))
    edges = {(e.env, e.target, e.port) for e in validate(app)[0].edges}
    # a host beside a port of the same Service is one connection, to that port
    assert edges == {("BOTH", "mysql", 3306), ("BOTH", "cache", 6379), ("JDBC", "mysql", 3306)}


def test_a_reference_takes_no_format_spec(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from tiers import App, MySQL\n"
        "app = App('shop')\n"
        "db = app.add(MySQL('mysql'))\n"
        "x = f'{db.port_ref():>6}'\n"
    )
    result = run_tiers("build", str(tmp_path / "app.py"))
    assert result.returncode == 1
    assert 'app.py", line 4' in result.stderr and "takes no format spec" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr


def test_a_reference_is_never_its_repr_in_a_manifest() -> None:
    app, db, _ = shop()
    app.add(Backend("api", image="api:1.0", env={"A": f"{db.host}", "B": str(db.port_ref())}))
    text = "\n".join(str(d) for d in docs_of(app))
    assert "HostRef" not in text and "PortRef" not in text and "\ue000" not in text


@pytest.mark.parametrize("scheme", ["", "redis://"])
def test_a_url_needs_a_scheme(scheme: Any) -> None:
    app, db, _ = shop()
    app.add(Backend("api", image="api:1.0", env={"URL": db.url(scheme=scheme)}))
    [message] = [str(d) for d in validate(app)[1] if d.severity == "error"]
    assert "env.URL: url() needs a scheme" in message
    assert "url(scheme='redis')" in message


def test_a_declared_call_is_an_edge_like_a_reference() -> None:
    app, db, cache = shop()
    app.add(Tier("gw", image="gw:1.0", service="None", calls=[db, cache.port_ref(6379)]))
    edges = {(e.target, e.port, e.via) for e in validate(app)[0].edges}
    assert edges == {("mysql", None, "calls"), ("cache", 6379, "calls")}
    allowed = connectivity(docs_of(app))
    assert Conn("shop/gw", "shop/mysql", "TCP/3306") in allowed
    assert Conn("shop/gw", "shop/cache", "TCP/6379") in allowed


def statefulset(replicas: int, peers: Any = None) -> App:
    app = App("zk")
    app.add(
        Tier(
            "zk",
            image="zookeeper:3.9.2",
            replicas=replicas,
            ports=[Port(2181, "client"), Port(2888, "server")],
            storage=Storage(mount_path="/data"),
            peers=peers,
            service="None" if replicas > 5 else "ClusterIP",
        )
    )
    return app


@pytest.mark.parametrize(
    ("replicas", "peers", "ports"),
    [(3, None, [2181, 2888]), (1, None, []), (3, False, []), (3, ["server"], [2888])],
)
def test_a_statefulsets_pods_are_peers_by_default(
    replicas: int, peers: Any, ports: list[int]
) -> None:
    app = statefulset(replicas, peers)
    [tier] = validate(app)[0].tiers
    assert [p.port for p in tier.peers] == ports


def test_peers_are_admitted_by_the_analyzer() -> None:
    allowed = connectivity(docs_of(statefulset(3)))
    assert allowed == dns("zk/zk") | {
        Conn("zk/zk", "zk/zk", "TCP/2181"),
        Conn("zk/zk", "zk/zk", "TCP/2888"),
    }


EXTRA_EGRESS = {
    "to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}],
    "ports": [{"port": 443, "protocol": "TCP"}],
}


def test_a_patch_adds_network_policy_rules_and_keeps_the_generated_ones() -> None:
    app, db, _ = shop()
    patch = Patch("NetworkPolicy", {"spec": {"egress": [EXTRA_EGRESS]}})
    app.add(Tier("api", image="api:1.0", service="None", env={"DB": db.host}, patches=[patch]))
    allowed = connectivity(docs_of(app))
    assert dns("shop/api") <= allowed
    assert Conn("shop/api", "shop/mysql", "TCP/3306") in allowed
    assert Conn("shop/api", "203.0.113.0/24", "TCP/443") in allowed


def test_a_patch_cannot_remove_the_generated_rules() -> None:
    app, _, _ = shop()
    patch = Patch("NetworkPolicy", {"spec": {"egress": None}})
    app.add(Tier("api", image="api:1.0", service="None", patches=[patch]))
    [message] = [str(d) for d in validate(app)[1] if d.severity == "error"]
    assert "patches[0]: a patch cannot remove spec.egress of a NetworkPolicy" in message


def ring(peers: Any = None) -> App:
    """A Cassandra ring written as its authors do: the headless Service on the
    client port only, the members gossiping on 7000."""
    app = App("ring", namespace="ring")
    ports = [Port(7000, "intra-node"), Port(9042, "cql")]
    storage = Storage("10Gi", mount_path="/var/lib/cassandra")
    cassandra = Tier(
        "cassandra", image="cassandra:5.0.2", replicas=3, service="Headless", ports=ports,
        port=9042, storage=storage, peers=peers,
    )  # fmt: skip
    app.add(cassandra)
    return app


def test_a_shortcut_service_port_that_is_a_container_port_targets_it() -> None:
    [tier] = validate(ring())[0].tiers
    assert [(p.port, p.target_port) for p in tier.services[0].ports] == [(9042, 9042)]


def test_members_closed_off_on_other_container_ports_are_warned_with_the_fix() -> None:
    warnings = [d for d in validate(ring())[1] if d.code == "peers-closed"]
    assert [d.field for d in warnings] == ["peers"]
    assert "also open 7000" in warnings[0].message and "peers=True" in warnings[0].message
    assert not [d for d in validate(ring(peers=True))[1] if d.code == "peers-closed"]


def test_peers_true_opens_every_container_port_between_members() -> None:
    allowed = connectivity(docs_of(ring(peers=True)))
    members = {c.port for c in allowed if c.source == c.target == "ring/cassandra"}
    assert members == {"TCP/7000", "TCP/9042"}
    closed = connectivity(docs_of(ring()))
    assert {c.port for c in closed if c.source == c.target == "ring/cassandra"} == {"TCP/9042"}
