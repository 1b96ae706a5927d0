"""Secure by default: pod security, resources, probes, secrets, storage,
NetworkPolicies and Namespaces, asserted field by field."""

from __future__ import annotations

import doctest
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tiers.model.kinds
import tiers.model.quantity
import tiers.model.secrets
import tiers.model.security
from tests.conftest import ROOT, run_tiers
from tiers import (
    App,
    Backend,
    ConfigMapKeyRef,
    DevSecret,
    ExternalService,
    Frontend,
    MySQL,
    NotSecret,
    Probe,
    Probes,
    Resources,
    SecretKeyRef,
    Security,
    Storage,
    Tier,
    compile_app,
    manifests,
)
from tiers.compiler import validate
from tiers.model.quantity import parse_quantity


def _shop(**app_options: Any) -> App:
    app = App("shop", **app_options)
    db = app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("db", "root")}))
    api = app.add(Backend("backend", image="api:1.0", env={"DB_HOST": db.host}))
    app.add(Frontend("frontend", service="LoadBalancer", env={"API_URL": api.url()}))
    return app


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def _pod(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    spec: dict[str, Any] = _find(docs, kind, name)["spec"]["template"]["spec"]
    return spec


def _messages(app: App) -> list[str]:
    return [f"{d.severity} {d.field}: {d.message}" for d in validate(app)[1]]


def test_every_pod_meets_the_restricted_profile() -> None:
    docs = manifests(_shop())
    for kind, name in [("StatefulSet", "mysql"), ("Deployment", "backend")]:
        pod = _pod(docs, kind, name)
        assert pod["automountServiceAccountToken"] is False
        assert pod["enableServiceLinks"] is False
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True
        assert security["runAsUser"] >= 10000 and security["runAsGroup"] >= 10000
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}
        container = pod["containers"][0]
        assert container["imagePullPolicy"] == "Always"
        assert container["securityContext"] == {
            "runAsNonRoot": True,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert "/tmp" in mounts


def test_mysql_is_a_statefulset_with_its_writable_paths_and_storage() -> None:
    app = App("shop")
    app.add(
        MySQL(
            "mysql",
            env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
            storage=Storage("10Gi", storage_class="fast"),
        )
    )
    docs = manifests(app)
    mysql = _find(docs, "StatefulSet", "mysql")
    assert mysql["spec"]["serviceName"] == "mysql-headless"
    assert _find(docs, "Service", "mysql-headless")["spec"]["clusterIP"] == "None"
    assert _find(docs, "Service", "mysql-service")["spec"].get("clusterIP") is None
    claim = mysql["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["resources"]["requests"]["storage"] == "10Gi"
    assert claim["spec"]["storageClassName"] == "fast"
    pod = mysql["spec"]["template"]["spec"]
    assert pod["securityContext"]["fsGroup"] == 10001
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["/var/lib/mysql"] == "data"
    data = next(m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "data")
    assert data["subPath"] == "mysql"
    for path in ["/var/run/mysqld", "/var/lib/mysql-files", "/tmp"]:
        assert {"name": mounts[path], "emptyDir": {}} in pod["volumes"]


def test_a_headless_service_of_the_tier_governs_its_statefulset() -> None:
    app = App("db")
    app.add(
        Tier(
            "store",
            image="store:1.0",
            ports=[7000],
            stateful=True,
            service="Headless",
            service_name="store-peers",
        )
    )
    docs = manifests(app)
    assert _find(docs, "StatefulSet", "store")["spec"]["serviceName"] == "store-peers"
    assert [d["metadata"]["name"] for d in docs if d["kind"] == "Service"] == ["store-peers"]


def test_bad_storage_size_and_secret_names_are_errors() -> None:
    app = App("db")
    env = {"TOKEN_A": SecretKeyRef("My_Secret", "k"), "TOKEN_B": SecretKeyRef("ok", "a/b")}
    app.add(MySQL("mysql", storage=Storage("ten gigs"), env=env))
    messages = _messages(app)
    assert "error storage.size: 'ten gigs' is not a Kubernetes quantity (for example '10Gi')" in (
        messages
    )
    assert any(
        m.startswith("error env.TOKEN_A: 'My_Secret' is not a valid Secret name") for m in messages
    )
    assert any(m.startswith("error env.TOKEN_B: 'a/b' is not a valid Secret key") for m in messages)


def test_storage_sub_path_stays_inside_the_volume() -> None:
    app = App("db")
    app.add(
        MySQL(
            "mysql",
            env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
            storage=Storage("1Gi", sub_path="../etc"),
        )
    )
    assert any(
        m.startswith("error storage.sub_path: '../etc' must be a path") for m in _messages(app)
    )


def test_general_storage_needs_a_mount_path() -> None:
    app = App("db")
    app.add(Tier("store", image="store:1.0", ports=[7000], storage=Storage("5Gi")))
    assert any("storage.mount_path: is required" in m for m in _messages(app))


def test_low_port_gets_the_unprivileged_port_sysctl() -> None:
    app = App("web")
    app.add(Tier("web", image="nginx:1.27.3", ports=[80, 8443]))
    app.add(Tier("api", image="api:1.0", ports=[8080]))
    docs = manifests(app)
    sysctls = _pod(docs, "Deployment", "web")["securityContext"]["sysctls"]
    assert sysctls == [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "80"}]
    assert "sysctls" not in _pod(docs, "Deployment", "api")["securityContext"]


def test_opt_outs_are_rendered_and_each_is_a_warning() -> None:
    app = App("legacy")
    security = Security(
        run_as_user=0,
        run_as_non_root=False,
        read_only_root_filesystem=False,
        add_capabilities=["NET_ADMIN"],
    )
    app.add(Tier("old", image="old:1.0", ports=[80], security=security, service="None"))
    compiled = compile_app(app)
    fields = sorted(str(w.field) for w in compiled.warnings)
    assert fields == [
        "namespace",
        "security.add_capabilities",
        "security.read_only_root_filesystem",
        "security.run_as_non_root",
        "security.run_as_user",
    ]
    text = "\n".join(w.message for w in compiled.warnings)
    assert "the pod may run as root" in text and "gains NET_ADMIN" in text
    assert "the pods of Deployment 'old' need the privileged Pod Security Standard" in text
    docs = [o.manifest for o in compiled.objects]
    labels = _find(docs, "Namespace", "legacy")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "privileged"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"
    pod = _pod(docs, "Deployment", "old")
    assert pod["securityContext"]["runAsUser"] == 0
    assert "sysctls" not in pod["securityContext"]
    assert pod["containers"][0]["securityContext"]["capabilities"]["add"] == ["NET_ADMIN"]


def test_root_without_run_as_non_root_false_is_an_error() -> None:
    app = App("legacy")
    app.add(Tier("old", image="old:1.0", ports=[8080], security=Security(run_as_user=0)))
    assert any(
        m.startswith("error security.run_as_user: uid 0 is root, which runAsNonRoot forbids")
        for m in _messages(app)
    )


def test_a_root_tier_lowers_its_namespace_to_baseline() -> None:
    app = App("legacy")
    security = Security(run_as_user=0, run_as_non_root=False)
    app.add(Tier("old", image="old:1.0", ports=[8080], security=security))
    app.add(Tier("new", image="new:1.0", ports=[8080], namespace="modern"))
    docs = manifests(app)
    enforce = "pod-security.kubernetes.io/enforce"
    assert _find(docs, "Namespace", "legacy")["metadata"]["labels"][enforce] == "baseline"
    assert _find(docs, "Namespace", "modern")["metadata"]["labels"][enforce] == "restricted"


def test_the_secure_defaults_give_no_warning() -> None:
    assert compile_app(_shop()).warnings == []


def test_resources_have_kind_defaults_and_typed_overrides() -> None:
    app = App("shop")
    app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    app.add(Backend("api", image="api:1.0", resources=Resources(cpu="2", memory="64Mi")))
    docs = manifests(app)
    mysql = _pod(docs, "StatefulSet", "mysql")["containers"][0]["resources"]
    assert mysql == {
        "requests": {"cpu": "250m", "memory": "512Mi"},
        "limits": {"cpu": "1", "memory": "1Gi"},
    }
    api = _pod(docs, "Deployment", "api")["containers"][0]["resources"]
    assert api == {
        "requests": {"cpu": "2", "memory": "64Mi"},
        "limits": {"cpu": "2", "memory": "256Mi"},
    }


def test_bad_quantities_and_inverted_resources_are_errors() -> None:
    app = App("shop")
    app.add(
        Backend(
            "api",
            image="api:1.0",
            resources=Resources(cpu="1 core", memory="1Gi", memory_limit="512Mi"),
        )
    )
    messages = _messages(app)
    assert (
        "error resources.cpu: '1 core' is not a Kubernetes quantity (for example '250m')"
        in messages
    )
    assert (
        "error resources.memory: the request 1Gi is above the limit 512Mi: "
        "raise memory_limit or lower memory"
    ) in messages


@pytest.mark.parametrize(
    ("text", "value"),
    [("250m", "0.25"), ("1Gi", "1073741824"), ("1.5", "1.5"), ("2e3", "2000"), ("100k", "100000")],
)
def test_quantities_parse(text: str, value: str) -> None:
    assert parse_quantity(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "1 core", "Mi", "1mi", "1.2.3"])
def test_non_quantities_do_not_parse(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quantity(text)


def test_probes_have_per_kind_defaults_that_differ() -> None:
    docs = manifests(_shop())
    mysql = _pod(docs, "StatefulSet", "mysql")["containers"][0]
    assert mysql["readinessProbe"]["tcpSocket"] == {"port": 3306}
    assert mysql["readinessProbe"] != mysql["livenessProbe"]
    backend = _pod(docs, "Deployment", "backend")["containers"][0]
    assert backend["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": 8080}
    assert backend["livenessProbe"]["periodSeconds"] != backend["readinessProbe"]["periodSeconds"]
    frontend = _pod(docs, "Deployment", "frontend")["containers"][0]
    assert frontend["livenessProbe"]["httpGet"] == {"path": "/", "port": 8080}


def test_probes_are_overridable_and_disabling_one_warns() -> None:
    app = App("shop")
    probes = Probes("/ready", liveness=False, readiness=Probe(period_seconds=3))
    app.add(Backend("api", image="api:1.0", probes=probes))
    app.add(Tier("worker", image="worker:1.0", ports=[9000], probes=False))
    compiled = compile_app(app)
    docs = [o.manifest for o in compiled.objects]
    api = _pod(docs, "Deployment", "api")["containers"][0]
    assert api["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert api["readinessProbe"]["periodSeconds"] == 3
    assert "livenessProbe" not in api
    worker = _pod(docs, "Deployment", "worker")["containers"][0]
    assert "readinessProbe" not in worker and "livenessProbe" not in worker
    warned = [
        w for w in compiled.warnings if w.code != "service-admits-no-one"
    ]  # a lone tier: its Service admits no one (a warning of its own)
    assert sorted(str(w.field) for w in warned) == ["probes", "probes.liveness"]


def test_identical_probes_are_a_warning() -> None:
    app = App("shop")
    same = Probe(period_seconds=10, failure_threshold=3)
    app.add(Backend("api", image="api:1.0", probes=Probes(readiness=same, liveness=same)))
    (warning,) = [w for w in compile_app(app).warnings if w.code != "service-admits-no-one"]
    assert warning.code == "probe-identical" and warning.field == "probes.liveness"


def test_credential_literal_is_an_error_with_the_fix() -> None:
    app = App("shop")
    app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": "password", "MYSQL_DATABASE": "shop"}))
    (message,) = _messages(app)
    assert message.startswith("error env.MYSQL_ROOT_PASSWORD: a literal value here would be")
    assert "SecretKeyRef('mysql-secrets', 'MYSQL_ROOT_PASSWORD')" in message
    assert "kubectl create secret generic mysql-secrets" in message
    assert "NotSecret(...)" in message and "'password'" not in message  # never echoed


def test_not_secret_and_config_map_values() -> None:
    app = App("shop")
    env = {"PUBLIC_KEY_ID": NotSecret("k-1"), "LOG_LEVEL": ConfigMapKeyRef("settings", "log")}
    app.add(Backend("api", image="api:1.0", env=env))
    container = _pod(manifests(app), "Deployment", "api")["containers"][0]
    assert container["env"] == [
        {"name": "PUBLIC_KEY_ID", "value": "k-1"},
        {"name": "LOG_LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "log"}}},
    ]


def test_mysql_reads_its_password_from_a_mounted_secret() -> None:
    pod = _pod(manifests(_shop()), "StatefulSet", "mysql")
    container = pod["containers"][0]
    assert container["env"] == [
        {"name": "MYSQL_ROOT_PASSWORD_FILE", "value": "/etc/secrets/db/root"}
    ]
    assert {"name": "secret-db", "mountPath": "/etc/secrets/db", "readOnly": True} in container[
        "volumeMounts"
    ]
    assert {
        "name": "secret-db",
        "secret": {"secretName": "db", "items": [{"key": "root", "path": "root"}]},
    } in pod["volumes"]


def test_a_secret_in_the_environment_of_a_general_tier() -> None:
    app = App("shop")
    app.add(Backend("api", image="api:1.0", env={"API_TOKEN": SecretKeyRef("api", "token")}))
    container = _pod(manifests(app), "Deployment", "api")["containers"][0]
    assert container["env"] == [
        {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}}
    ]


def test_dev_secret_is_emitted_with_a_warning() -> None:
    app = App("dev")
    app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": DevSecret("dev-only")}))
    compiled = compile_app(app)
    (warning,) = [w for w in compiled.warnings if w.code != "service-admits-no-one"]
    assert warning.code == "dev-secret" and "plain text, in Git" in warning.message
    docs = [o.manifest for o in compiled.objects]
    secret = _find(docs, "Secret", "mysql-dev-secrets")
    assert secret["stringData"] == {"MYSQL_ROOT_PASSWORD": "dev-only"}
    env = _pod(docs, "StatefulSet", "mysql")["containers"][0]["env"]
    assert env[0]["value"] == "/etc/secrets/mysql-dev-secrets/MYSQL_ROOT_PASSWORD"


def test_network_policies_follow_the_wiring() -> None:
    app = _shop()
    ldap = app.add(ExternalService("ldap", namespace="identity", ports=[389]))
    app.tiers[1].env["LDAP_URL"] = ldap.url(scheme="ldap")
    docs = manifests(app)
    mysql = _find(docs, "NetworkPolicy", "mysql-network-policy")["spec"]
    assert mysql["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": _selector("backend")}}],
            "ports": [{"port": 3306, "protocol": "TCP"}],
        }
    ]
    backend = _find(docs, "NetworkPolicy", "backend-network-policy")["spec"]
    assert backend["ingress"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    egress = backend["egress"]
    assert egress[0]["to"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "identity"}}}
    ]
    assert egress[0]["ports"] == [{"port": 389, "protocol": "TCP"}]
    assert egress[1]["to"][0]["podSelector"]["matchLabels"] == _selector("mysql")
    assert egress[-1]["ports"] == [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
    frontend = _find(docs, "NetworkPolicy", "frontend-network-policy")["spec"]
    assert frontend["ingress"] == [{"ports": [{"port": 8080, "protocol": "TCP"}]}]


def _selector(tier: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": tier, "app.kubernetes.io/instance": "shop"}


def test_namespace_and_policies_can_be_left_to_someone_else() -> None:
    docs = manifests(_shop())
    namespace = _find(docs, "Namespace", "shop")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert all(d["metadata"].get("namespace") == "shop" for d in docs if d["kind"] != "Namespace")
    bare = manifests(_shop(create_namespace=False, network_policies=False))
    assert {d["kind"] for d in bare} == {"StatefulSet", "Deployment", "Service"}


def test_app_wide_objects_go_to_app_yaml(tmp_path: Path) -> None:
    app_file = tmp_path / "shop.py"
    app_file.write_text(
        "from tiers import App, Tier\n"
        "app = App('shop')\n"
        "app.add(Tier('api', image='api:1.0', ports=[8080]))\n",
        encoding="utf-8",
    )
    result = run_tiers("build", str(app_file), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "kind: Namespace" in (tmp_path / "out" / "app.yaml").read_text(encoding="utf-8")
    assert "kind: Namespace" not in (tmp_path / "out" / "api.yaml").read_text(encoding="utf-8")


def test_image_digests_are_kept() -> None:
    image = "api:1.0@sha256:" + "ab" * 32
    app = App("shop")
    app.add(Backend("api", image=image))
    assert _pod(manifests(app), "Deployment", "api")["containers"][0]["image"] == image


def test_build_strict_fails_on_warnings(tmp_path: Path) -> None:
    app_file = tmp_path / "legacy.py"
    app_file.write_text(
        "from tiers import App, Security, Tier\n"
        "app = App('legacy')\n"
        "app.add(Tier('old', image='old:1.0', ports=[8080],\n"
        "             security=Security(read_only_root_filesystem=False)))\n",
        encoding="utf-8",
    )
    relaxed = run_tiers("build", str(app_file))
    assert relaxed.returncode == 0 and "kind: Deployment" in relaxed.stdout
    strict = run_tiers("build", "--strict", str(app_file))
    assert strict.returncode == 1 and strict.stdout == ""
    assert "security.read_only_root_filesystem: weakens a secure default of tiers" in strict.stderr


@pytest.mark.parametrize(
    "module", [tiers.model.quantity, tiers.model.security, tiers.model.secrets, tiers.model.kinds]
)
def test_docstring_examples_run(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_secure_by_default_readme_examples_compile() -> None:
    section = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    for block in blocks:
        namespace: dict[str, Any] = {}
        exec(block, namespace)
        assert compile_app(namespace["app"]).objects
