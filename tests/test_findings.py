"""What ``tiers.checks.findings`` finds in one object: nothing in what tiers
emits for the examples, and each weakness a hand-edited copy adds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Built
from tiers.checks.findings import object_findings
from tiers.render.patches import merge


def _deployment(built: dict[str, Built]) -> dict[str, Any]:
    return next(d for d in built["multi_tier"].docs if d["kind"] == "Deployment")


def _container(manifest: dict[str, Any]) -> str:
    return str(manifest["spec"]["template"]["spec"]["containers"][0]["name"])


def test_nothing_is_found_in_any_example(built: dict[str, Built]) -> None:
    found = [
        (example.example, doc["kind"], f.path)
        for example in built.values()
        for doc in example.docs
        for f in object_findings(doc)
    ]
    # the node agent reads the node's /proc and /sys on purpose, and says so; the
    # operations tier is given permissions, so tiers projects its API token (a finding of
    # the object alone, which the checks as emitted report only when a patch adds it)
    assert found == [
        ("node_agent", "DaemonSet", f"spec.template.spec.volumes[{i}].hostPath") for i in (1, 2)
    ] + [("operations", "Deployment", "spec.template.spec.volumes[1].projected")]


CHANGES: list[tuple[dict[str, Any], str, str]] = [
    ({"hostNetwork": True}, "security-opt-out", "spec.template.spec.hostNetwork"),
    (
        {"automountServiceAccountToken": True},
        "security-opt-out",
        "spec.template.spec.automountServiceAccountToken",
    ),
    (
        {"containers": [{"name": "@", "resources": None}]},
        "resources-missing",
        "spec.template.spec.containers[0].resources.requests",
    ),
    (
        {"containers": [{"name": "@", "livenessProbe": None}]},
        "probe-disabled",
        "spec.template.spec.containers[0].livenessProbe",
    ),
    (
        {"containers": [{"name": "@", "securityContext": {"readOnlyRootFilesystem": False}}]},
        "security-opt-out",
        "spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem",
    ),
    (
        {"containers": [{"name": "@", "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]},
        "credential-literal",
        "spec.template.spec.containers[0].env[",
    ),
    (
        {
            "containers": [
                {"name": "@", "env": [{"name": "DATABASE_URL", "value": "postgres://a:b@db/x"}]}
            ]
        },
        "credential-literal",
        "spec.template.spec.containers[0].env[",
    ),
    (
        {"containers": [{"name": "@", "args": ["--password=hunter2"]}]},
        "credential-literal",
        "spec.template.spec.containers[0].args[0]",
    ),
]


@pytest.mark.parametrize(("spec", "code", "path"), CHANGES, ids=[c[2] for c in CHANGES])
def test_each_weakness_is_found(
    built: dict[str, Built], spec: dict[str, Any], code: str, path: str
) -> None:
    deployment = _deployment(built)
    containers = spec.get("containers")
    if containers:
        spec = {**spec, "containers": [{**c, "name": _container(deployment)} for c in containers]}
    changed = merge(deployment, {"spec": {"template": {"spec": spec}}})
    found = [(f.code, f.path) for f in object_findings(changed)]
    assert any(c == code and p.startswith(path) for c, p in found), found
    assert object_findings(deployment) == []


def test_integers_the_schema_lets_through_are_found(built: dict[str, Built]) -> None:
    deployment = _deployment(built)
    name = _container(deployment)
    ports = [{"containerPort": 70000}]
    changed = merge(
        deployment,
        {
            "spec": {
                "replicas": 2**31,
                "template": {"spec": {"containers": [{"name": name, "ports": ports}]}},
            }
        },
    )
    found = {f.path: f.message for f in object_findings(changed) if f.code == "integer-range"}
    assert found == {
        "spec.replicas": "2147483648 is out of range: Kubernetes accepts 0 to 2,147,483,647 here",
        "spec.template.spec.containers[0].ports[1].containerPort": (
            "70000 is not a port number: use 1-65535"
        ),
    }
    custom = {"apiVersion": "example.com/v1", "kind": "Thing", "spec": {"replicas": -5}}
    assert object_findings(custom) == []


def test_an_annotation_and_a_config_map_key_holding_credentials() -> None:
    config_map = {
        "kind": "ConfigMap",
        "metadata": {"name": "x", "annotations": {"example.com/api-token": "abc123"}},
        "data": {
            "password": "hunter2",
            "app.conf": "dsn=postgres://u:pw@db/app\n",
            "level": "debug",
        },
    }
    found = {f.path: f for f in object_findings(config_map)}
    assert set(found) == {
        "metadata.annotations[example.com/api-token]",
        "data[password]",
        "data[app.conf]",
    }
    assert all(f.severity == "error" and "hunter2" not in f.message for f in found.values())
    assert "'dsn=postgres://u:****@db/app\\n'" in found["data[app.conf]"].message
