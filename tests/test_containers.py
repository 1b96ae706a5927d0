"""Sidecars and init containers: field asserts on ``examples/sidecars.py`` and
small apps, the wiring they add to NetworkPolicies, and their hardening.

Schema validation (``kubernetes-validate --strict``, 1.30 and the newest) and
checkov run over every example, this one included, in ``tests/test_checkov.py``;
the bad apps ``tests/bad/containers_*.py`` in ``tests/test_bad.py``.
"""

from __future__ import annotations

import doctest
import functools
import re
from typing import Any

import tiers.model.app
from tests.conftest import ROOT, build_docs
from tiers import (
    App,
    Backend,
    ConfigMap,
    Container,
    DevSecret,
    Ingress,
    Port,
    Security,
    Service,
    ServicePort,
    Tier,
    compile_app,
    manifests,
)
from tiers.compiler import validate

RESTRICTED = {
    "runAsNonRoot": True,
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


@functools.cache
def _example() -> list[dict[str, Any]]:
    return build_docs("sidecars")


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def _pod(docs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    spec: dict[str, Any] = _find(docs, "Deployment", name)["spec"]["template"]["spec"]
    return spec


def _by_name(containers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in containers}


def _egress_ports(docs: list[dict[str, Any]], tier: str, to: str) -> list[int]:
    policy = _find(docs, "NetworkPolicy", f"{tier}-network-policy")
    return [
        port["port"]
        for rule in policy["spec"]["egress"]
        for peer in rule["to"]
        if peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name") == to
        for port in rule["ports"]
    ]


def _ingress_ports(docs: list[dict[str, Any]], tier: str) -> list[int]:
    policy = _find(docs, "NetworkPolicy", f"{tier}-network-policy")
    return sorted(p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"])


def test_native_sidecars_come_first_among_init_containers() -> None:
    pod = _pod(_example(), "api")
    assert [c["name"] for c in pod["initContainers"]] == ["tls-proxy", "migrate"]
    assert [c.get("restartPolicy") for c in pod["initContainers"]] == ["Always", None]
    assert [c["name"] for c in pod["containers"]] == ["api", "cache-exporter"]


def test_every_container_is_hardened_with_its_own_tmp() -> None:
    pod = _pod(_example(), "api")
    containers = _by_name([*pod["initContainers"], *pod["containers"]])
    for name, container in containers.items():
        assert container["securityContext"] == RESTRICTED, name
        assert container["imagePullPolicy"] == "Always"
        tmp = [m["name"] for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert tmp == ["tmp" if name == "api" else f"{name}-tmp"]
    empty = [v["name"] for v in pod["volumes"] if "emptyDir" in v]
    assert sorted(empty) == ["cache-exporter-tmp", "migrate-tmp", "tls-proxy-tmp", "tmp"]


def test_sidecars_get_smaller_default_resources_and_keep_overrides() -> None:
    containers = _by_name(
        [*_pod(_example(), "api")["initContainers"], *_pod(_example(), "api")["containers"]]
    )
    small = {
        "requests": {"cpu": "50m", "memory": "64Mi"},
        "limits": {"cpu": "200m", "memory": "128Mi"},
    }
    assert containers["cache-exporter"]["resources"] == small
    assert containers["migrate"]["resources"] == small
    assert containers["tls-proxy"]["resources"] == {
        "requests": {"cpu": "100m", "memory": "64Mi"},
        "limits": {"cpu": "200m", "memory": "128Mi"},
    }
    assert containers["api"]["resources"]["requests"] == {"cpu": "100m", "memory": "128Mi"}


def test_sidecars_with_ports_are_probed_and_init_containers_are_not() -> None:
    containers = _by_name(
        [*_pod(_example(), "api")["initContainers"], *_pod(_example(), "api")["containers"]]
    )
    exporter = containers["cache-exporter"]
    assert exporter["readinessProbe"]["tcpSocket"] == {"port": 9121}
    assert exporter["livenessProbe"]["tcpSocket"] == {"port": 9121}
    assert containers["tls-proxy"]["readinessProbe"]["tcpSocket"] == {"port": 8443}
    assert "readinessProbe" not in containers["migrate"]
    assert "livenessProbe" not in containers["migrate"]
    assert containers["api"]["readinessProbe"]["httpGet"]["path"] == "/healthz"


def test_sidecar_env_reads_secrets_from_files_and_resolves_references() -> None:
    pod = _pod(_example(), "api")
    containers = _by_name([*pod["initContainers"], *pod["containers"]])
    env = {e["name"]: e.get("value") for e in containers["cache-exporter"]["env"]}
    assert env == {
        "REDIS_ADDR": "redis://cache-service:6379",
        "REDIS_PASSWORD_FILE": "/etc/secrets/cache-auth/password",
    }
    mounts = {m["mountPath"]: m for m in containers["cache-exporter"]["volumeMounts"]}
    assert mounts["/etc/secrets/cache-auth"]["readOnly"] is True
    migrate = {e["name"]: e["value"] for e in containers["migrate"]["env"]}
    assert migrate == {"DATABASE_URL_FILE": "/etc/secrets/orders-db/url"}
    secrets = {
        v["secret"]["secretName"]: v["secret"]["items"] for v in pod["volumes"] if "secret" in v
    }
    assert secrets == {
        "cache-auth": [{"key": "password", "path": "password"}],
        "orders-db": [{"key": "url", "path": "url"}],
    }
    assert "/etc/secrets/cache-auth" not in {
        m["mountPath"] for m in containers["api"]["volumeMounts"]
    }


def test_a_sidecars_reference_opens_egress_that_the_main_container_alone_does_not() -> None:
    def app(with_sidecar: bool) -> App:
        app = App("orders")
        cache = app.add(Tier("cache", image="redis:7.4.1", ports=[Port(6379, "redis")]))
        exporter = Container(
            "exporter", image="exporter:1.0", env={"REDIS_ADDR": cache.url("redis")}
        )
        app.add(Backend("api", image="api:1.0", sidecars=[exporter] if with_sidecar else []))
        return app

    with_sidecar, without = manifests(app(True)), manifests(app(False))
    assert _egress_ports(with_sidecar, "api", "cache") == [6379]
    assert _egress_ports(without, "api", "cache") == []
    assert _ingress_ports(with_sidecar, "cache") == [6379]
    assert _ingress_ports(without, "cache") == []
    assert _egress_ports(_example(), "api", "cache") == [6379]


def test_a_service_port_can_target_a_sidecars_port_and_opens_it() -> None:
    app = App("orders")
    proxy = Container("proxy", image="envoyproxy/envoy:v1.31.3", ports=[Port(8443, "https")])
    api = app.add(
        Backend(
            "api",
            image="api:1.0",
            services=[Service(ports=[ServicePort(443, name="https", target_port="https")])],
            sidecars=[proxy],
        )
    )
    app.add(Backend("web", image="web:1.0", env={"API_URL": api.url("https")}))
    docs = manifests(app)
    assert _find(docs, "Service", "api-service")["spec"]["ports"][0]["targetPort"] == "https"
    assert _ingress_ports(docs, "api") == [8443]
    assert _find(docs, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "API_URL", "value": "https://api-service"}
    ]


def test_a_path_listed_by_several_containers_is_one_shared_emptydir() -> None:
    app = App("shop")
    logs = Security(writable_paths=["/var/log/app"])
    shipper = Container("shipper", image="fluent/fluent-bit:3.1.9", security=logs)
    app.add(Backend("api", image="api:1.0", security=logs, sidecars=[shipper]))
    pod = _pod(manifests(app), "api")
    mounts = {
        c["name"]: {m["mountPath"]: m["name"] for m in c["volumeMounts"]} for c in pod["containers"]
    }
    assert mounts["api"]["/var/log/app"] == mounts["shipper"]["/var/log/app"] == "var-log-app"
    assert mounts["api"]["/tmp"] != mounts["shipper"]["/tmp"]
    assert [v["name"] for v in pod["volumes"]].count("var-log-app") == 1


def test_config_maps_mount_and_feed_env_of_a_sidecar_and_roll_the_pods() -> None:
    def app(level: str) -> App:
        app = App("shop")
        conf = ConfigMap("shipper-conf", data={"fluent-bit.conf": "[SERVICE]\n", "level": level})
        shipper = Container(
            "shipper",
            image="fluent/fluent-bit:3.1.9",
            mounts={"/fluent-bit/etc": conf},
            env={"LEVEL": conf.key("level")},
        )
        app.add(Backend("api", image="api:1.0", sidecars=[shipper]))
        return app

    docs = manifests(app("info"))
    pod = _find(docs, "Deployment", "api")["spec"]["template"]
    shipper = _by_name(pod["spec"]["containers"])["shipper"]
    assert {"name": "shipper-conf", "mountPath": "/fluent-bit/etc", "readOnly": True} in shipper[
        "volumeMounts"
    ]
    assert shipper["env"][0]["valueFrom"]["configMapKeyRef"] == {
        "name": "shipper-conf",
        "key": "level",
    }
    assert _find(docs, "ConfigMap", "shipper-conf")["data"]["level"] == "info"
    digest = pod["metadata"]["annotations"]["tiers.dev/config-hash"]
    other = _find(manifests(app("debug")), "Deployment", "api")["spec"]["template"]
    assert other["metadata"]["annotations"]["tiers.dev/config-hash"] != digest


def test_dev_secrets_of_a_sidecar_get_keys_of_their_own() -> None:
    app = App("shop")
    token = Container("agent", image="agent:1.0", env={"TOKEN": DevSecret("dev-agent")})
    app.add(Backend("api", image="api:1.0", env={"TOKEN": DevSecret("dev-api")}, sidecars=[token]))
    docs = manifests(app)
    assert _find(docs, "Secret", "api-dev-secrets")["stringData"] == {
        "TOKEN": "dev-api",
        "sidecars-0.TOKEN": "dev-agent",
    }
    agent = _by_name(_pod(docs, "api")["containers"])["agent"]
    assert agent["env"][0]["valueFrom"]["secretKeyRef"] == {
        "name": "api-dev-secrets",
        "key": "sidecars-0.TOKEN",
    }


def test_a_sidecars_own_ids_and_opt_outs_are_rendered_and_lower_the_namespace() -> None:
    app = App("legacy")
    security = Security(run_as_user=0, run_as_non_root=False, add_capabilities=["NET_ADMIN"])
    agent = Container("agent", image="agent:1.0", security=security)
    app.add(Backend("api", image="api:1.0", sidecars=[agent]))
    compiled = compile_app(app)
    docs = [o.manifest for o in compiled.objects]
    context = _by_name(_pod(docs, "api")["containers"])["agent"]["securityContext"]
    assert (context["runAsUser"], context["runAsNonRoot"]) == (0, False)
    assert context["capabilities"] == {"drop": ["ALL"], "add": ["NET_ADMIN"]}
    assert "runAsUser" not in _by_name(_pod(docs, "api")["containers"])["api"]["securityContext"]
    enforce = _find(docs, "Namespace", "legacy")["metadata"]["labels"][
        "pod-security.kubernetes.io/enforce"
    ]
    assert enforce == "privileged"
    fields = sorted(d.field for d in compiled.warnings if d.code != "service-admits-no-one")
    assert fields == [
        "namespace",
        "sidecars[0].security.add_capabilities",
        "sidecars[0].security.run_as_non_root",
        "sidecars[0].security.run_as_user",
    ]


def test_a_low_port_of_a_sidecar_gets_the_unprivileged_port_sysctl() -> None:
    app = App("shop")
    proxy = Container("proxy", image="envoyproxy/envoy:v1.31.3", ports=[Port(80, "web")])
    app.add(Backend("api", image="api:1.0", sidecars=[proxy]))
    sysctls = _pod(manifests(app), "api")["securityContext"]["sysctls"]
    assert sysctls == [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "80"}]


def test_a_sidecar_without_problems_adds_no_diagnostic() -> None:
    app = App("shop")
    agent = Container("agent", image="agent:1.0")
    app.add(Backend("api", image="api:1.0", sidecars=[agent], service="None"))
    assert validate(app)[1] == []


def test_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(tiers.model.app)
    assert tried > 0 and failures == 0


def test_readme_example_of_this_section_compiles() -> None:
    page = (ROOT / "docs" / "more-kinds.md").read_text(encoding="utf-8")
    section = page[page.index("## Sidecars and init containers") : page.index("## Ingress\n")]
    [block] = re.findall(r"```python\n(.*?)```", section, re.S)
    namespace: dict[str, Any] = {}
    exec(compile(block, str(ROOT / "docs" / "more-kinds.md"), "exec"), namespace)
    docs = [o.manifest for o in compile_app(namespace["app"]).objects]
    pod = _pod(docs, "api")
    assert [c["name"] for c in pod["initContainers"]] == ["migrate"]
    assert [c["name"] for c in pod["containers"]] == ["api", "db-exporter"]
    assert _egress_ports(docs, "api", "mysql") == [3306]


def test_an_ingress_to_a_sidecars_port_admits_the_controller_on_it() -> None:
    app = App("orders")
    proxy = Container("proxy", image="envoyproxy/envoy:v1.31.3", ports=[Port(8443, "https")])
    app.add(
        Backend(
            "api",
            image="api:1.0",
            services=[Service(ports=[ServicePort(443, name="https", target_port="https")])],
            sidecars=[proxy],
            ingress=Ingress(host="api.example.com", port="https"),
        )
    )
    [backend] = compile_app(app).app.ingress_backends()
    assert (backend.service_port, backend.target_port) == (443, 8443)
    assert _ingress_ports(manifests(app), "api") == [8443]
