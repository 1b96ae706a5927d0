"""Fields of the input that mean what the built object says in another
spelling are no reason for a patch: a container's ``runAsUser`` equal to the
pod's that tiers writes, capability names in lower case (containerd's CRI
reads ``all`` as ``ALL``). A field that means something else stays a patch,
and the namespace follows the level it needs."""

from __future__ import annotations

from typing import Any

import yaml

from tiers import manifests
from tiers.importer import Options, import_sources
from tiers.importer.read import parse


def _deployment(security: dict[str, Any], pod: dict[str, Any] | None = None) -> str:
    doc = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "carts", "namespace": "shop"},
        "spec": {
            "selector": {"matchLabels": {"name": "carts"}},
            "template": {
                "metadata": {"labels": {"name": "carts"}},
                "spec": {
                    "containers": [
                        {
                            "name": "carts",
                            "image": "weaveworksdemos/carts:0.4.8",
                            "ports": [{"containerPort": 8080}],
                            "securityContext": security,
                        }
                    ],
                    **(pod or {}),
                },
            },
        },
    }
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}
    return yaml.safe_dump_all([namespace, doc], sort_keys=False)


def _built(
    security: dict[str, Any], pod: dict[str, Any] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    code = import_sources(parse(_deployment(security, pod), "in.yaml"), Options()).code
    scope: dict[str, Any] = {}
    exec(compile(code, "imported.py", "exec"), scope)
    return code, manifests(scope["app"])


def _enforced(docs: list[dict[str, Any]]) -> str:
    [namespace] = [d for d in docs if d["kind"] == "Namespace"]
    return str(namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"])


def test_a_containers_uid_and_lower_case_capabilities_need_no_patch() -> None:
    code, docs = _built(
        {"runAsUser": 10001, "runAsNonRoot": True, "capabilities": {"drop": ["all"]}}
    )
    assert "Patch(" not in code
    assert "run_as_user=10001" in code
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert _enforced(docs) == "restricted"


def test_dropping_less_than_all_stays_a_patch_and_the_namespace_follows() -> None:
    code, docs = _built({"runAsUser": 10001, "capabilities": {"drop": ["net_raw"]}})
    assert "Patch(" in code and '"drop": ["NET_RAW"]' in code
    assert _enforced(docs) == "baseline"


def _cache(sidecar: bool) -> dict[str, Any]:
    mount = {"name": "cache-vol", "mountPath": "/var/cache/carts"}
    pod: dict[str, Any] = {"volumes": [{"name": "cache-vol", "emptyDir": {}}]}
    if sidecar:
        pod["containers"] = [
            {"name": "carts", "image": "weaveworksdemos/carts:0.4.8", "volumeMounts": [mount]},
            {"name": "cleaner", "image": "busybox:1.36", "volumeMounts": [mount]},
        ]
    return pod


def test_an_empty_dir_of_any_name_is_a_writable_path() -> None:
    pod = _cache(sidecar=False)
    pod["containers"] = [
        {
            "name": "carts",
            "image": "weaveworksdemos/carts:0.4.8",
            "volumeMounts": [{"name": "cache-vol", "mountPath": "/var/cache/carts"}],
        }
    ]
    code, docs = _built({}, pod)
    assert "Patch(" not in code
    assert 'writable_paths=["/var/cache/carts"]' in code
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    spec = deployment["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
    assert {"name": mounts["/var/cache/carts"], "emptyDir": {}} in spec["volumes"]


def test_an_empty_dir_shared_with_a_sidecar_keeps_its_name_in_a_patch() -> None:
    code, _ = _built({}, _cache(sidecar=True))
    assert "Security(writable_paths" not in code
    assert '"name": "cache-vol"' in code
