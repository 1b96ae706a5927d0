"""ServiceAccounts and RBAC, and external Services: what a tier's account and
permissions compile to, where the API token goes, and the Services, slices
and egress tiers writes for the app's external Services."""

from __future__ import annotations

import doctest
from typing import Any

import kubernetes_validate
import pytest

import tiers.model.rbac
from tests.test_schema import VERSIONS
from tiers import (
    App,
    Backend,
    Container,
    ExternalService,
    Job,
    Patch,
    Permission,
    ServiceAccount,
    ServicePort,
    compile_app,
    manifests,
)
from tiers.compiler import validate


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def _app(account: ServiceAccount | None) -> App:
    app = App("ops")
    proxy = Container("proxy", image="envoyproxy/envoy:v1.31.3")
    app.add(Backend("api", image="api:1.0", service_account=account, sidecars=[proxy]))
    return app


def test_a_tier_without_permissions_gets_an_account_and_no_token() -> None:
    docs = manifests(_app(ServiceAccount()))
    account = _find(docs, "ServiceAccount", "api")
    assert account["automountServiceAccountToken"] is False
    assert account["metadata"]["labels"]["app.kubernetes.io/name"] == "api"
    pod = _find(docs, "Deployment", "api")["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "api"
    assert pod["automountServiceAccountToken"] is False
    assert all(v["name"] != "kube-api-access" for v in pod["volumes"])
    assert not [d for d in docs if d["kind"] in ("Role", "RoleBinding")]


def test_permissions_compile_to_a_role_bound_to_the_account_and_a_token_in_one_container() -> None:
    reader = Permission(["configmaps"], ["get", "watch"], resource_names=["flags"])
    docs = manifests(_app(ServiceAccount(permissions=[reader])))
    role = _find(docs, "Role", "api")
    assert role["metadata"]["namespace"] == "ops"
    assert role["rules"] == [
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": ["flags"],
            "verbs": ["get", "watch"],
        }
    ]
    binding = _find(docs, "RoleBinding", "api")
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "Role",
        "name": "api",
    }
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "api", "namespace": "ops"}]
    pod = _find(docs, "Deployment", "api")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    [token] = [v for v in pod["volumes"] if v["name"] == "kube-api-access"]
    sources = token["projected"]["sources"]
    assert sources[0] == {"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}
    main, sidecar = pod["containers"]
    path = "/var/run/secrets/kubernetes.io/serviceaccount"
    assert {"name": "kube-api-access", "mountPath": path, "readOnly": True} in main["volumeMounts"]
    assert all(m["name"] != "kube-api-access" for m in sidecar["volumeMounts"])


def test_cluster_wide_permissions_get_a_cluster_role_named_after_the_namespace() -> None:
    nodes = Permission(["nodes"], ["get", "list"], cluster_wide=True)
    leases = Permission(["leases"], ["get"], api_groups=["coordination.k8s.io"])
    compiled = compile_app(_app(ServiceAccount("runner", permissions=[nodes, leases])))
    docs = [o.manifest for o in compiled.objects]
    role = _find(docs, "ClusterRole", "ops-runner")
    assert "namespace" not in role["metadata"]
    assert role["rules"][0]["resources"] == ["nodes"]
    assert _find(docs, "Role", "runner")["rules"][0]["apiGroups"] == ["coordination.k8s.io"]
    binding = _find(docs, "ClusterRoleBinding", "ops-runner")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "runner", "namespace": "ops"}]
    assert [(w.code, w.field) for w in _about_accounts(compiled.warnings)] == [
        ("permission-cluster-wide", "service_account.permissions[0]")
    ]
    for doc in docs:
        for version in VERSIONS:
            kubernetes_validate.validate(doc, version, strict=True)


def test_an_unknown_verb_is_an_error_that_names_the_field_and_the_closest_verb() -> None:
    app = _app(ServiceAccount(permissions=[Permission(["pods"], ["lst"])]))  # type: ignore[list-item]
    _, diagnostics = validate(app)
    [problem] = [d for d in diagnostics if d.severity == "error"]
    assert problem.field == "service_account.permissions[0].verbs[0]"
    assert problem.message.endswith("(got 'lst'). Did you mean 'list'?")


def test_a_patch_reaches_the_account_and_the_role() -> None:
    account = ServiceAccount(permissions=[Permission(["pods"], ["get"])])
    app = App("ops")
    patches = [
        Patch("ServiceAccount", {"imagePullSecrets": [{"name": "registry"}]}),
        Patch("Role", {"metadata": {"labels": {"audited": "yes"}}}),
    ]
    app.add(Backend("api", image="api:1.0", service_account=account, patches=patches))
    docs = manifests(app)
    assert _find(docs, "ServiceAccount", "api")["imagePullSecrets"] == [{"name": "registry"}]
    assert _find(docs, "Role", "api")["metadata"]["labels"]["audited"] == "yes"


def test_an_external_name_service_is_referenced_by_its_name_and_bounded_by_its_cidrs() -> None:
    app = App("shop")
    db = app.add(
        ExternalService("db", external_name="db.example.com", ports=[5432], cidrs=["10.2.0.0/16"])
    )
    app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host, "DB_URL": db.url("postgres")}))
    compiled = compile_app(app)
    docs = [o.manifest for o in compiled.objects]
    service = _find(docs, "Service", "db")
    assert service["spec"] == {
        "type": "ExternalName",
        "externalName": "db.example.com",
        "ports": [{"port": 5432, "protocol": "TCP"}],
    }
    assert [o.tier for o in compiled.objects if o.name == "db"] == [None]
    env = _find(docs, "Deployment", "api")["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [
        {"name": "DB_HOST", "value": "db"},
        {"name": "DB_URL", "value": "postgres://db:5432"},
    ]
    egress = _find(docs, "NetworkPolicy", "api-network-policy")["spec"]["egress"]
    assert {
        "to": [{"ipBlock": {"cidr": "10.2.0.0/16"}}],
        "ports": [{"port": 5432, "protocol": "TCP"}],
    } in egress
    assert _about_accounts(compiled.warnings) == []


def test_without_cidrs_the_egress_is_open_on_the_port_and_a_warning_says_so() -> None:
    app = App("shop")
    db = app.add(ExternalService("db", external_name="db.example.com", ports=[5432]))
    app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host}))
    compiled = compile_app(app)
    egress = _find([o.manifest for o in compiled.objects], "NetworkPolicy", "api-network-policy")
    assert {"ports": [{"port": 5432, "protocol": "TCP"}]} in egress["spec"]["egress"]
    [warning] = _about_accounts(compiled.warnings)
    assert (warning.tier, warning.field, warning.code) == ("api", "env.DB_HOST", "external-egress")
    assert "cannot match a DNS name" in warning.message


def test_addresses_make_a_service_without_selector_and_its_slices_and_exact_egress() -> None:
    app = App("shop")
    ldap = app.add(
        ExternalService(
            "ldap",
            addresses=["10.0.5.12", "2001:db8::12"],
            ports=[ServicePort(636, name="ldaps", target_port=1636)],
        )
    )
    app.add(Job("sync", image="sync:1.0", env={"LDAP": ldap.url("ldaps")}))
    docs = manifests(app)
    service = _find(docs, "Service", "ldap")
    assert "selector" not in service["spec"]
    assert service["spec"]["ports"] == [
        {"name": "ldaps", "port": 636, "targetPort": 1636, "protocol": "TCP"}
    ]
    first, second = _find(docs, "EndpointSlice", "ldap"), _find(docs, "EndpointSlice", "ldap-ipv6")
    assert (first["addressType"], second["addressType"]) == ("IPv4", "IPv6")
    assert first["metadata"]["labels"]["kubernetes.io/service-name"] == "ldap"
    assert first["ports"] == [{"port": 1636, "protocol": "TCP", "name": "ldaps"}]
    assert second["endpoints"] == [{"addresses": ["2001:db8::12"]}]
    egress = _find(docs, "NetworkPolicy", "sync-network-policy")["spec"]["egress"][0]
    assert egress == {
        "to": [{"ipBlock": {"cidr": "10.0.5.12/32"}}, {"ipBlock": {"cidr": "2001:db8::12/128"}}],
        "ports": [{"port": 1636, "protocol": "TCP"}],
    }
    for doc in docs:
        for version in VERSIONS:
            kubernetes_validate.validate(doc, version, strict=True)


def test_a_service_managed_elsewhere_is_only_referred_to() -> None:
    app = App("shop")
    queue = app.add(ExternalService("queue", namespace="infra", ports=[5672]))
    app.add(Backend("api", image="api:1.0", env={"AMQP": queue.url("amqp")}))
    docs = manifests(app)
    assert not [d for d in docs if d["kind"] == "Service" and d["metadata"]["name"] == "queue"]
    egress = _find(docs, "NetworkPolicy", "api-network-policy")["spec"]["egress"][0]
    assert egress["to"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "infra"}}}
    ]


@pytest.mark.parametrize("module", [tiers.model.rbac])
def test_docstring_examples_run(module: Any) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


def _about_accounts(warnings: list[Any]) -> list[Any]:
    """The warnings but the one that a lone tier's Service is called by no one,
    which these small apps all get and which is not what they test."""
    return [w for w in warnings if w.code != "service-admits-no-one"]
