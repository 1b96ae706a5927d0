"""``tiers import`` meets the secure defaults: credentials, StatefulSets, probes."""

from __future__ import annotations

from typing import Any

import yaml

from tests.test_import import deployment, imported, service
from tiers import build_yaml
from tiers.importer import Imported, Options, import_sources
from tiers.importer.read import parse


def _built(result: Imported) -> list[dict[str, Any]]:
    """The objects the written app builds, by running its code."""
    scope: dict[str, Any] = {}
    exec(compile(result.code, "app.py", "exec"), scope)
    return [d for d in yaml.safe_load_all(build_yaml(scope["app"])) if d]


def _pod(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)
    return dict(found["spec"]["template"]["spec"])


def _again(objects: list[dict[str, Any]]) -> Imported:
    text = yaml.safe_dump_all(objects, sort_keys=False)
    return import_sources(parse(text, "out.yaml"), Options(name="t"))


def test_a_literal_credential_moves_to_a_secret_with_the_command_to_create_it() -> None:
    api = deployment("api", env={"API_TOKEN": "s3cr3t-value", "LOG_LEVEL": "info"})
    result = imported(api, service("api-service", "api", [{"port": 8080}]))
    assert "s3cr3t-value" not in result.code
    assert '"API_TOKEN": SecretKeyRef("api-secrets", "API_TOKEN")' in result.code
    assert [str(w) for w in result.warnings] == [
        "in.yaml:1: Deployment 'api': env API_TOKEN: a literal credential in the input is not "
        "written into the app (it would be committed to Git); the value now comes from Secret "
        "'api-secrets' (key: the variable's name), which you must create before applying: "
        "kubectl create secret generic api-secrets -n default "
        "--from-literal=API_TOKEN=<value of API_TOKEN in the input>"
    ]
    env = _pod(_built(result), "Deployment", "api")["containers"][0]["env"]
    assert {
        "name": "API_TOKEN",
        "valueFrom": {"secretKeyRef": {"name": "api-secrets", "key": "API_TOKEN"}},
    } in env
    assert {"name": "LOG_LEVEL", "value": "info"} in env


def test_a_flag_with_a_credential_like_name_stays_a_literal() -> None:
    env = {"MYSQL_ALLOW_EMPTY_PASSWORD": "yes", "PRIVATE_KEY": "/etc/key", "KEY_PATH": "/k"}
    result = imported(deployment("db", env=env))
    assert '"MYSQL_ALLOW_EMPTY_PASSWORD": NotSecret("yes")' in result.code
    assert '"PRIVATE_KEY": NotSecret("/etc/key")' in result.code
    assert '"KEY_PATH": "/k"' in result.code  # a name that only points at a key
    assert result.warnings == []


def test_secret_and_config_map_references_become_typed_values() -> None:
    api = deployment("api")
    api["spec"]["template"]["spec"]["containers"][0]["env"] = [
        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode"}}},
    ]
    result = imported(api)
    assert '"DB_PASSWORD": SecretKeyRef("db", "pw")' in result.code
    assert '"MODE": ConfigMapKeyRef("settings", "mode")' in result.code
    assert "Patch(" not in result.code


def _statefulset(name: str, mount: str, size: str) -> dict[str, Any]:
    manifest = deployment(name)
    manifest["kind"] = "StatefulSet"
    manifest["spec"]["serviceName"] = f"{name}-headless"
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    container["volumeMounts"] = [{"name": "data", "mountPath": mount}]
    claim = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}
    manifest["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": claim}]
    return manifest


def test_a_statefulset_maps_to_stateful_and_storage() -> None:
    queue = _statefulset("queue", "/var/lib/queue", "5Gi")
    headless = service("queue-headless", "queue", [{"port": 8080}], clusterIP="None")
    result = imported(queue, headless)
    assert "stateful=True" in result.code
    assert 'storage=Storage("5Gi", mount_path="/var/lib/queue")' in result.code
    objects = _built(result)
    statefulset = next(o for o in objects if o["kind"] == "StatefulSet")
    claim = statefulset["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["resources"]["requests"]["storage"] == "5Gi"
    assert statefulset["spec"]["serviceName"] == "queue-headless"
    assert _built(_again(objects)) == objects


def test_a_mysql_statefulset_keeps_its_data_at_the_volume_root() -> None:
    db = _statefulset("mysql", "/var/lib/mysql", "10Gi")
    db["spec"]["template"]["spec"]["containers"][0] |= {
        "image": "mysql:8.4.3",
        "ports": [{"containerPort": 3306}],
        "env": [{"name": "MYSQL_RANDOM_ROOT_PASSWORD", "value": "yes"}],
    }
    result = imported(db, service("mysql", "mysql", [{"port": 3306}], clusterIP="None"))
    assert 'MySQL(\n        "mysql",' in result.code and "stateful=" not in result.code
    objects = _built(result)
    mounts = _pod(objects, "StatefulSet", "mysql")["containers"][0]["volumeMounts"]
    data = next(m for m in mounts if m["name"] == "data")
    assert data == {"name": "data", "mountPath": "/var/lib/mysql"}
    assert _built(_again(objects)) == objects


def test_a_probe_of_another_kind_replaces_the_default_whole() -> None:
    api = deployment("api")
    probe = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5}
    api["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = probe
    result = imported(api)
    container = _pod(_built(result), "Deployment", "api")["containers"][0]
    # the timings it leaves out are Kubernetes' defaults, as the API server stores them
    defaults = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "failureThreshold": 3}
    assert container["livenessProbe"] == {**defaults, **probe}
    assert "tcpSocket" in container["readinessProbe"]


def test_fields_at_their_api_default_are_no_reason_for_a_patch() -> None:
    """What ``kubectl get -o yaml`` spells out (privileged false, the default
    grace period, DNS policy, termination message) means what the build means."""
    written = deployment("api")
    pod = written["spec"]["template"]["spec"]
    pod.update(terminationGracePeriodSeconds=30, dnsPolicy="ClusterFirst")
    container = pod["containers"][0]
    container["securityContext"] = {"privileged": False}
    container["terminationMessagePath"] = "/dev/termination-log"
    result = imported(written, service("api", "api", [{"port": 80, "targetPort": 8080}]))
    assert "Patch(" not in result.code and result.warnings == []
    pod["terminationGracePeriodSeconds"] = 5  # not the default: kept, as the typed field
    kept = imported(written, service("api", "api", [{"port": 80, "targetPort": 8080}]))
    assert "termination_grace_period_seconds=5" in kept.code
