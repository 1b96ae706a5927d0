"""Patches, the escape hatch: merge rules, their inverse, and their checks."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.subset import missing
from tiers import App, MySQL, NotSecret, Patch, SecretKeyRef, Service, Tier, build_yaml, manifests
from tiers.compiler import validate
from tiers.render.patches import diff, merge


def test_mappings_merge_and_none_removes_a_key() -> None:
    base = {"a": 1, "b": {"c": 2, "d": 3}}
    assert merge(base, {"b": {"c": None, "e": 4}, "f": [1]}) == {
        "a": 1,
        "b": {"d": 3, "e": 4},
        "f": [1],
    }
    assert base == {"a": 1, "b": {"c": 2, "d": 3}}


def test_named_lists_merge_by_name_and_other_lists_are_replaced() -> None:
    base = {
        "containers": [{"name": "app", "image": "a", "env": [{"name": "X", "value": "1"}]}],
        "args": ["--a"],
        "ports": [{"containerPort": 80, "protocol": "TCP"}],
    }
    patch = {
        "containers": [
            {"name": "app", "env": [{"name": "Y", "value": "2"}]},
            {"name": "sidecar", "image": "s"},
        ],
        "args": ["--b"],
        "ports": [{"containerPort": 80, "name": "http"}, {"containerPort": 81}],
    }
    assert merge(base, patch) == {
        "containers": [
            {
                "name": "app",
                "image": "a",
                "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}],
            },
            {"name": "sidecar", "image": "s"},
        ],
        "args": ["--b"],
        "ports": [{"containerPort": 80, "protocol": "TCP", "name": "http"}, {"containerPort": 81}],
    }


def test_diff_is_none_when_nothing_is_missing() -> None:
    base = {"spec": {"replicas": 2, "ports": [{"port": 80, "protocol": "TCP"}]}}
    assert diff(base, {"spec": {"ports": [{"port": 80}]}}) is None
    assert diff(base, {"spec": {"replicas": True}}) == {"spec": {"replicas": True}}


_scalars = st.one_of(st.integers(-3, 3), st.booleans(), st.sampled_from(["", "a", "80", "yes"]))
_named = st.lists(
    st.fixed_dictionaries({"name": st.sampled_from(["a", "b", "c"])}, optional={"value": _scalars}),
    max_size=3,
    unique_by=lambda item: item["name"],
)
_objects = st.recursive(
    _scalars | st.lists(_scalars, max_size=3),
    lambda inner: (
        st.dictionaries(st.sampled_from(["x", "y", "z"]), inner, max_size=3)
        | st.fixed_dictionaries({"containers": _named, "env": _named})
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(base=_objects, target=_objects)
def test_merging_the_diff_gives_every_field_of_the_target(base: Any, target: Any) -> None:
    patch = diff(base, target)
    merged = base if patch is None else merge(base, patch)
    assert missing(merged, target) == []


def _web(*patches: Patch, services: list[Service] | None = None) -> App:
    app = App("shop")
    app.add(
        Tier("web", image="nginx:1.27.3", ports=[8080], services=services, patches=list(patches))
    )
    return app


def _messages(app: App) -> list[str]:
    return [d.message for d in validate(app)[1] if d.code == "patch-target"]


def test_a_patch_for_a_kind_the_tier_does_not_emit_is_an_error() -> None:
    app = _web(Patch("StatefulSet", {"spec": {"replicas": 2}}))
    assert _messages(app) == [
        "the tier emits no StatefulSet (it emits Deployment 'web', Service 'web-service', "
        "NetworkPolicy 'web-network-policy'). "
        "Patch one of those"
    ]
    found = next(d for d in validate(app)[1] if d.code == "patch-target")
    assert (found.tier, found.field) == ("web", "patches[0]")


def test_a_patch_must_name_one_object() -> None:
    two = [Service("web-a"), Service("web-b")]
    assert _messages(_web(Patch("Service", {"spec": {}}), services=two)) == [
        "the tier emits several Services ('web-a', 'web-b'); "
        "name one with Patch('Service', ..., name='web-a')"
    ]
    assert _messages(_web(Patch("Service", {}, name="web-c"), services=two)) == [
        "the tier emits no Service named 'web-c' (it emits Deployment 'web', Service 'web-a', "
        "Service 'web-b', NetworkPolicy 'web-network-policy'). Did you mean 'web-b'?"
    ]


def test_a_patch_cannot_change_what_object_it_is() -> None:
    patch = Patch("Deployment", {"kind": "DaemonSet", "metadata": {"name": "other"}})
    assert _messages(_web(patch)) == [
        "a patch cannot change kind, metadata.name: they say which object it is. "
        "Set the tier's own fields (name, namespace, stateful) instead"
    ]


def test_patches_land_after_rendering() -> None:
    pods = {"nodeSelector": {"disktype": "ssd"}, "containers": [{"name": "web", "env": []}]}
    app = _web(
        Patch("Deployment", {"spec": {"template": {"spec": pods}}}),
        Patch("Service", {"spec": {"sessionAffinity": "ClientIP"}}),
    )
    objects = {m["kind"]: m for m in manifests(app)}
    deployment, service = objects["Deployment"], objects["Service"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"disktype": "ssd"}
    assert pod["containers"][0]["image"] == "nginx:1.27.3"
    assert service["spec"]["sessionAffinity"] == "ClientIP"


def test_a_patched_statefulset_tier_is_valid_kubernetes() -> None:
    app = App("data")
    app.add(
        MySQL(
            "mysql",
            env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-root", "password")},
            service="Headless",
            patches=[Patch("StatefulSet", {"spec": {"podManagementPolicy": "Parallel"}})],
        )
    )
    objects = {(m["kind"], m["metadata"]["name"]): m for m in manifests(app)}
    statefulset = objects["StatefulSet", "mysql"]
    assert statefulset["spec"]["podManagementPolicy"] == "Parallel"
    assert statefulset["spec"]["serviceName"] == "mysql-service"
    for manifest in objects.values():
        kubernetes_validate.validate(manifest, "1.30.0", strict=True)


PROBE_CASES = [
    # (object's probe, patch, merged): a handler key drops the other handlers
    (
        {"tcpSocket": {"port": 80}, "periodSeconds": 10},
        {"httpGet": {"path": "/", "port": 80}},
        {"periodSeconds": 10, "httpGet": {"path": "/", "port": 80}},
    ),
    (
        {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
        {"httpGet": {"path": "/ready"}},
        {"httpGet": {"path": "/ready", "port": 80}, "periodSeconds": 10},
    ),
    (
        {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
        {"$retainKeys": ["exec"], "exec": {"command": ["true"]}},
        {"exec": {"command": ["true"]}},
    ),
]


@pytest.mark.parametrize(("probe", "patch", "merged"), PROBE_CASES)
def test_a_probe_handler_replaces_the_others(
    probe: dict[str, Any], patch: dict[str, Any], merged: dict[str, Any]
) -> None:
    assert merge(probe, patch, "livenessProbe") == merged


def test_the_diff_of_a_probe_of_another_kind_replaces_it_whole() -> None:
    rendered = {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15, "periodSeconds": 10}
    wanted = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5}
    pod = {"containers": [{"name": "api", "livenessProbe": rendered}]}
    target = {"containers": [{"name": "api", "livenessProbe": wanted}]}
    patch = diff(pod, target)
    assert patch["containers"][0]["livenessProbe"]["$retainKeys"] == ["httpGet", "periodSeconds"]
    assert merge(pod, patch) == target


def test_a_volume_source_replaces_the_other() -> None:
    pod = {"volumes": [{"name": "data", "emptyDir": {}}]}
    patch = {"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "db"}}]}
    assert merge(pod, patch) == {
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "db"}}]
    }
    assert merge(pod, diff(pod, patch)) == patch


def test_dns_name_forms() -> None:
    app = App("shop")
    db = app.add(
        MySQL("db", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, namespace="data")
    )
    env = {
        "SHORT": db.dns_name("short"),
        "NS": db.dns_name("namespace"),
        "SVC": db.dns_name("svc"),
        "FQDN": db.dns_name(),
        "URL": db.url(scheme="mysql", dns="svc"),
    }
    app.add(Tier("api", image="api:1", service="None", env=env))
    text = build_yaml(app)
    for line in (
        "value: db-service\n",
        "value: db-service.data\n",
        "value: db-service.data.svc\n",
        "value: db-service.data.svc.cluster.local\n",
        "value: mysql://db-service.data.svc:3306\n",
    ):
        assert line in text, line


def test_the_docstring_examples_run() -> None:
    import doctest

    import tiers.importer
    import tiers.model.app
    import tiers.render.patches

    for module in (tiers.render.patches, tiers.importer, tiers.model.app):
        failed, tried = doctest.testmod(module)
        assert tried > 0 and failed == 0, module.__name__


def test_ports_are_told_apart_by_protocol() -> None:
    base = {"ports": [{"port": 53, "protocol": "TCP", "name": "dns-tcp"}]}
    target = {
        "ports": [{"port": 53, "protocol": "UDP", "name": "dns"}, {"port": 53, "name": "dns-tcp"}]
    }
    patch = diff(base, target)
    assert patch == {"ports": [{"port": 53, "protocol": "UDP", "name": "dns"}]}
    merged = merge(base, patch)
    assert merged["ports"] == [
        {"port": 53, "protocol": "TCP", "name": "dns-tcp"},
        {"port": 53, "protocol": "UDP", "name": "dns"},
    ]
    assert missing(merged, target) == []
