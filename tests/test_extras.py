"""Ingress, autoscaling, availability, ConfigMaps and user templates: the
examples against the Kubernetes schemas, field asserts, and the bad apps of
``tests/bad/extras_*.py`` against the messages beside them."""

from __future__ import annotations

import copy
import doctest
import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, ROOT, build_docs, run_tiers
from tiers import (
    App,
    Autoscale,
    Backend,
    ConfigMap,
    DisruptionBudget,
    Frontend,
    GatewayRef,
    HTTPRoute,
    Ingress,
    IngressPath,
    MySQL,
    Port,
    SecretKeyRef,
    Service,
    ServicePort,
    TopologySpread,
    compile_app,
    ir,
    manifests,
)
from tiers.compiler import validate
from tiers.loader import load_app
from tiers.model import configmap, scaling
from tiers.resolve.config import config_hash

BAD = ROOT / "tests" / "bad"
BAD_CASES = sorted(p.stem for p in BAD.glob("extras_*.py"))
EXAMPLES_CHECKED = ("ingress", "full")


@functools.cache
def _docs(example: str) -> list[dict[str, Any]]:
    return build_docs(example)


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def _pod(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    spec: dict[str, Any] = _find(docs, "Deployment", name)["spec"]["template"]
    return spec


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_app_gives_its_messages(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _, diagnostics = validate(load_app(f"tests/bad/{case}.py"))
    expected = (BAD / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    assert [str(d) for d in diagnostics] == expected[:-1]


def test_bad_apps_exit_1_without_traceback() -> None:
    result = run_tiers("build", "tests/bad/extras_templates.py")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "undefined in the template: 'owner' is undefined" in result.stderr


def test_examples_pass_strict_schema_validation(tmp_path: Path) -> None:
    files, count = [], 0
    for example in EXAMPLES_CHECKED:
        docs = [d for d in _docs(example) if d["kind"] != "HTTPRoute"]
        assert len(docs) > 5
        count += len(docs)
        path = tmp_path / f"{example}.yaml"
        path.write_text(yaml.safe_dump_all(docs), encoding="utf-8")
        files.append(str(path))
    for version in ("1.30.0", "1.37.0"):
        result = subprocess.run(
            [sys.executable, "-m", "kubernetes_validate", "--strict", "-k", version, *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.count(" passed for resource ") == count


def _route_errors(route: dict[str, Any]) -> list[str]:
    schema = json.loads((ROOT / "tests" / "schemas" / "httproute-v1.json").read_text("utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [e.message for e in validator.iter_errors(route)]


def test_httproutes_pass_the_gateway_api_schema() -> None:
    routes = [d for d in _docs("full") if d["kind"] == "HTTPRoute"]
    assert [r["metadata"]["name"] for r in routes] == ["backend-route"]
    assert _route_errors(routes[0]) == []
    rule = routes[0]["spec"]["rules"][0]
    assert rule["backendRefs"] == [{"name": "backend-service", "port": 80}]
    broken = copy.deepcopy(routes[0])
    broken["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Prefix"
    broken["spec"]["hostnames"] = ["API.example.com"]
    assert len(_route_errors(broken)) == 2


def test_httproute_groups_paths_by_backend_and_admits_the_gateway() -> None:
    app = App("shop")
    api = app.add(Backend("api", image="x:1"))
    web = app.add(Frontend("web"))
    paths = [
        IngressPath("/api", api.port_ref()),
        IngressPath("/", web.port_ref()),
        IngressPath("/v2", api.port_ref(), path_type="Exact"),
    ]
    app.add(HTTPRoute("shop", gateway=GatewayRef("public"), paths=paths))
    compiled = compile_app(app)
    route = next(o.manifest for o in compiled.objects if o.kind == "HTTPRoute")
    rules = [
        ([m["path"]["value"] for m in r["matches"]], r["backendRefs"][0]["name"])
        for r in route["spec"]["rules"]
    ]
    assert rules == [(["/api", "/v2"], "api-service"), (["/"], "web-service")]
    assert _route_errors(route) == []
    assert [b.tier for b in compiled.app.ingress_backends()] == ["api", "web"]


def test_full_example_is_byte_identical_across_hash_seeds() -> None:
    outputs = {
        run_tiers(
            "build", str(EXAMPLES / "full.py"), env={**os.environ, "PYTHONHASHSEED": s}
        ).stdout
        for s in ("0", "1", "4242")
    }
    assert len(outputs) == 1 and next(iter(outputs))


def test_ingress_routes_paths_to_service_ports_with_tls() -> None:
    ingress = _find(_docs("ingress"), "Ingress", "shop")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [{"secretName": "shop-tls", "hosts": ["shop.example.com"]}]
    paths = ingress["spec"]["rules"][0]["http"]["paths"]
    routes = [
        (p["path"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]) for p in paths
    ]
    assert routes == [
        ("/api", "backend-service", {"number": 80}),
        ("/", "frontend-service", {"number": 80}),
    ]


def test_ir_exposes_ingress_backends_and_controller_for_network_policies() -> None:
    app = App("shop", namespace="shop")
    api = app.add(
        Backend(
            "api", image="my-api:1.0", ports=[Port(8080, "http"), Port(9090, "metrics")], port=None
        )
    )
    app.add(Ingress("shop", paths=[IngressPath("/", api.port_ref("http"))]))
    resolved = compile_app(app).app
    [backend] = resolved.ingress_backends()
    assert (backend.tier, backend.service, backend.service_port, backend.target_port) == (
        "api",
        "api-service",
        8080,
        8080,
    )
    assert resolved.ingress_controller.namespace == "ingress-nginx"
    assert resolved.ingress_controller.pod_labels == {"app.kubernetes.io/name": "ingress-nginx"}


def test_tier_ingress_names_port_by_name_and_defaults_class() -> None:
    app = App("shop")
    app.add(
        Frontend("web", ingress=Ingress(host="*.example.com", port=80, ingress_class="internal"))
    )
    ingress = _find(manifests(app), "Ingress", "web-ingress")
    assert ingress["spec"]["ingressClassName"] == "internal"
    assert ingress["spec"]["rules"][0]["host"] == "*.example.com"
    assert "tls" not in ingress["spec"]


def test_autoscaled_tier_leaves_replicas_to_the_hpa() -> None:
    app = App("shop")
    app.add(
        Backend(
            "api",
            image="my-api:1.0",
            autoscale=Autoscale(min_replicas=2, max_replicas=5, memory=80),
        )
    )
    compiled = compile_app(app)
    docs = [o.manifest for o in compiled.objects]
    assert "replicas" not in _find(docs, "Deployment", "api")["spec"]
    hpa = _find(docs, "HorizontalPodAutoscaler", "api")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 5)
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["memory"]
    assert _find(docs, "PodDisruptionBudget", "api")["spec"]["maxUnavailable"] == 1
    assert [w.code for w in compiled.warnings] == ["service-admits-no-one"]  # nothing calls it


@pytest.mark.parametrize(
    ("replicas", "budget", "expected"),
    [
        (1, True, None),
        (2, True, {"maxUnavailable": 1}),
        (3, False, None),
        (1, DisruptionBudget(min_available="50%"), {"minAvailable": "50%"}),
    ],
)
def test_disruption_budget_defaults_and_settings(replicas: int, budget: Any, expected: Any) -> None:
    app = App("shop")
    app.add(Backend("api", image="my-api:1.0", replicas=replicas, disruption_budget=budget))
    found = [d for d in manifests(app) if d["kind"] == "PodDisruptionBudget"]
    if expected is None:
        assert found == []
    else:
        spec = found[0]["spec"]
        assert spec.pop("unhealthyPodEvictionPolicy") == "AlwaysAllow"
        assert {k: v for k, v in spec.items() if k != "selector"} == expected
        assert spec["selector"]["matchLabels"]["app.kubernetes.io/name"] == "api"


def test_topology_spread_for_multi_replica_tiers_only() -> None:
    app = App("shop")
    app.add(Backend("one", image="x:1"))
    app.add(Backend("many", image="x:1", replicas=3))
    app.add(
        Backend(
            "zones",
            image="x:1",
            replicas=3,
            topology_spread=TopologySpread(
                "topology.kubernetes.io/zone", when_unsatisfiable="DoNotSchedule"
            ),
        )
    )
    docs = manifests(app)
    assert "topologySpreadConstraints" not in _pod(docs, "one")["spec"]
    [spread] = _pod(docs, "many")["spec"]["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname"
    assert spread["whenUnsatisfiable"] == "ScheduleAnyway"
    assert (
        spread["labelSelector"]["matchLabels"]
        == _find(docs, "Deployment", "many")["spec"]["selector"]["matchLabels"]
    )
    [zones] = _pod(docs, "zones")["spec"]["topologySpreadConstraints"]
    assert (zones["topologyKey"], zones["whenUnsatisfiable"]) == (
        "topology.kubernetes.io/zone",
        "DoNotSchedule",
    )


def _config_app(log_level: str) -> list[dict[str, Any]]:
    app = App("shop")
    conf = ConfigMap(
        "settings",
        data={"log_level": log_level},
        files={"default.conf": EXAMPLES / "config" / "default.conf"},
    )
    app.add(
        Frontend(
            "web", mounts={"/etc/nginx/conf.d": conf}, env={"LOG_LEVEL": conf.key("log_level")}
        )
    )
    app.add(Frontend("plain"))
    return manifests(app)


def test_config_map_volumes_never_take_a_name_the_pod_already_uses() -> None:
    """ConfigMaps named like an emptyDir (``tmp``), the data claim (``data``) or a
    Secret's volume get volumes of their own, each mounted where it was asked."""
    app = App("db")
    app.add(
        MySQL(
            "mysql",
            env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("creds", "root")},
            mounts={
                "/etc/a": ConfigMap("tmp", data={"a": "1"}),
                "/etc/b": ConfigMap("data", data={"b": "2"}),
                "/etc/c": ConfigMap("secret-creds", data={"c": "3"}),
            },
        )
    )
    docs = manifests(app)
    spec = _find(docs, "StatefulSet", "mysql")["spec"]
    pod = spec["template"]["spec"]
    names = [v["name"] for v in pod["volumes"]]
    names += [c["metadata"]["name"] for c in spec["volumeClaimTemplates"]]
    assert len(names) == len(set(names)), names
    by_name = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    for path, config in (("/etc/a", "tmp"), ("/etc/b", "data"), ("/etc/c", "secret-creds")):
        assert by_name[mounts[path]] == {"name": mounts[path], "configMap": {"name": config}}
    assert "emptyDir" in by_name[mounts["/tmp"]]
    assert "secret" in by_name[mounts["/etc/secrets/creds"]]


def test_config_map_mounted_and_read_as_env() -> None:
    docs = _config_app("info")
    config = _find(docs, "ConfigMap", "settings")
    assert config["data"]["default.conf"] == (EXAMPLES / "config" / "default.conf").read_text(
        encoding="utf-8"
    )
    pod = _pod(docs, "web")["spec"]
    container = pod["containers"][0]
    assert {
        "name": "LOG_LEVEL",
        "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "log_level"}},
    } in container["env"]
    [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == "/etc/nginx/conf.d"]
    assert mount["readOnly"] is True
    config_volumes = [v for v in pod["volumes"] if "configMap" in v]
    assert config_volumes == [{"name": mount["name"], "configMap": {"name": "settings"}}]
    assert docs.index(config) < docs.index(_find(docs, "Deployment", "web"))


def test_config_hash_follows_content_and_only_content() -> None:
    def digest(docs: list[dict[str, Any]]) -> str:
        value: str = _pod(docs, "web")["metadata"]["annotations"]["tiers.dev/config-hash"]
        return value

    first, again, changed = _config_app("info"), _config_app("info"), _config_app("debug")
    assert digest(first) == digest(again)
    assert digest(first) != digest(changed)
    assert digest(first).startswith("sha256:") and len(digest(first)) == len("sha256:") + 64
    assert "annotations" not in _pod(first, "plain")["metadata"]


def test_shared_config_map_is_emitted_once_app_wide() -> None:
    compiled = compile_app(_load_example("full"))
    shared = [o for o in compiled.objects if o.kind == "ConfigMap" and o.name == "shop-settings"]
    assert [o.tier for o in shared] == [None]
    own = [o for o in compiled.objects if o.kind == "ConfigMap" and o.name == "frontend-nginx"]
    assert [o.tier for o in own] == ["frontend"]


def _load_example(name: str) -> App:
    return load_app(str(EXAMPLES / f"{name}.py"))


def test_user_templates_render_with_tier_context_and_namespace() -> None:
    compiled = compile_app(_load_example("full"))
    account = next(
        o for o in compiled.objects if o.kind == "ServiceAccount" and o.name == "frontend"
    )
    assert account.tier == "frontend"
    assert account.manifest["metadata"]["namespace"] == "shop"
    assert account.manifest["metadata"]["labels"]["app.kubernetes.io/component"] == "frontend"
    quota = next(o for o in compiled.objects if o.kind == "ResourceQuota")
    assert quota.tier is None
    assert quota.manifest["spec"]["hard"]["pods"] == "30"


def test_user_template_values_cannot_change_type(tmp_path: Path) -> None:
    template = tmp_path / "cm.yaml.j2"
    template.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ name }}\n"
        "data:\n  answer: {{ tier.workload.meta.annotations['note'] }}\n",
        encoding="utf-8",
    )
    app = App("shop")
    app.add(
        Backend("api", image="x:1", annotations={"note": "yes: no"}, extra_templates=[template])
    )
    config = _find(manifests(app), "ConfigMap", "api")
    assert config["data"]["answer"] == "yes: no"


def test_readme_examples_of_these_sections_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "more-kinds.md").read_text(encoding="utf-8")
    sections = text[text.index("## Ingress\n") :]
    blocks = [b.split("```", 1)[0] for b in sections.split("```python\n")[1:]]
    assert len(blocks) == 6
    for block in blocks:
        namespace: dict[str, Any] = {}
        # the page's relative paths start at the repository's root
        exec(compile(block, str(ROOT / "more-kinds.md"), "exec"), namespace)
        assert compile_app(namespace["app"]).objects


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.text("abc.-_", min_size=1, max_size=5), st.text(max_size=20), max_size=6))
def test_config_hash_ignores_key_order(data: dict[str, str]) -> None:
    meta = ir.Meta("settings", "shop", {})
    forward = ir.ConfigMap(meta, dict(data))
    backward = ir.ConfigMap(meta, dict(reversed(list(data.items()))))
    assert config_hash([forward]) == config_hash([backward])
    assert config_hash([forward]) != config_hash([ir.ConfigMap(meta, {**data, "extra": "x"})])


@pytest.mark.parametrize("module", [scaling, configmap])
def test_docstring_examples_run(module: Any) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


def test_build_to_directory_puts_shared_objects_in_the_app_file(tmp_path: Path) -> None:
    result = run_tiers("build", str(EXAMPLES / "full.py"), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        "app.yaml",
        "backend.yaml",
        "frontend.yaml",
        "kustomization.yaml",
        "mysql.yaml",
    ]
    app_docs = list(yaml.safe_load_all((tmp_path / "out" / "app.yaml").read_text("utf-8")))
    assert [(d["kind"], d["metadata"]["name"]) for d in app_docs] == [
        ("Namespace", "shop"),
        ("ConfigMap", "shop-settings"),
        ("ResourceQuota", "shop-quota"),
    ]


def test_config_hash_follows_the_files_read_at_build_time(tmp_path: Path) -> None:
    conf = tmp_path / "app.conf"

    def digest(text: str) -> str:
        conf.write_bytes(text.encode("utf-8"))
        app = App("shop")
        config = ConfigMap("app-conf", files={"app.conf": conf})
        app.add(Backend("api", image="x:1", mounts={"/etc/app": config}))
        pod = _pod(manifests(app), "api")
        assert _find(manifests(app), "ConfigMap", "app-conf")["data"]["app.conf"] == text
        value: str = pod["metadata"]["annotations"]["tiers.dev/config-hash"]
        return value

    first = digest("port = 8080\n")
    assert digest("port = 8080\n") == first
    assert digest("port = 8081\n") != first


def test_ingress_to_a_named_service_port_exposes_the_container_port() -> None:
    app = App("shop")
    web = app.add(
        Frontend(
            "web",
            services=[Service(ports=[ServicePort(443, name="https", target_port="http")])],
            ingress=Ingress(host="shop.example.com", port="https"),
        )
    )
    compiled = compile_app(app)
    ingress = next(o.manifest for o in compiled.objects if o.kind == "Ingress")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "web-service", "port": {"name": "https"}}
    [found] = compiled.app.ingress_backends()
    assert (found.service_port, found.target_port, found.tier) == (443, 8080, web.name)


def test_network_policy_admits_the_ingress_controller_on_the_routed_port_only() -> None:
    docs = build_docs("ingress")
    # a selector of pods outside the app, as matchExpressions: commonLabels leaves it alone
    expressions = [{"key": "app.kubernetes.io/name", "operator": "In", "values": ["ingress-nginx"]}]
    controller = {
        "podSelector": {"matchExpressions": expressions},
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
    }
    admitted = {}
    for policy in (d for d in docs if d["kind"] == "NetworkPolicy"):
        rules = [r for r in policy["spec"].get("ingress", []) if controller in r.get("from", [])]
        admitted[policy["metadata"]["name"]] = [p["port"] for r in rules for p in r["ports"]]
    routed = {
        "frontend-network-policy": [8080],
        "backend-network-policy": [8080],
        "mysql-network-policy": [],
    }
    assert admitted == routed
