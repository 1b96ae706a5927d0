"""``image_pull_policy``: Always by default, as tiers always wrote it; the
tier's and each container's own; a value Kubernetes does not know is an
error naming the field; ``tiers import`` reads it back as the field."""

from __future__ import annotations

from typing import Any

import yaml

from tests.k8s import pod_spec
from tiers import App, Container, Tier, manifests
from tiers.compiler import validate
from tiers.importer import Options, import_sources
from tiers.importer.read import parse


def _app(policy: Any = "IfNotPresent") -> App:
    app = App("pull", namespace="pull")
    app.add(
        Tier(
            "api",
            image="registry.example.com/api:1.4.2",
            ports=[8080],
            image_pull_policy=policy,
            sidecars=[Container("proxy", image="envoyproxy/envoy:v1.31.0")],
        )
    )
    return app


def _containers(app: App) -> dict[str, dict[str, Any]]:
    [deployment] = [d for d in manifests(app) if d["kind"] == "Deployment"]
    return {c["name"]: c for c in pod_spec(deployment)["containers"]}


def test_the_tiers_policy_and_a_sidecars_own() -> None:
    found = _containers(_app())
    assert found["api"]["imagePullPolicy"] == "IfNotPresent"
    assert found["proxy"]["imagePullPolicy"] == "Always"


def test_the_default_is_always() -> None:
    app = App("pull", namespace="pull")
    app.add(Tier("api", image="registry.example.com/api:1.4.2", ports=[8080]))
    assert _containers(app)["api"]["imagePullPolicy"] == "Always"


def test_an_unknown_policy_is_an_error_naming_the_field() -> None:
    [problem] = [d for d in validate(_app("Sometimes"))[1] if d.severity == "error"]
    assert (problem.tier, problem.field) == ("api", "image_pull_policy")
    assert "'IfNotPresent'" in problem.message and problem.location.file.endswith(".py")


def test_import_reads_it_back_as_the_field() -> None:
    docs = manifests(_app())
    text = yaml.safe_dump_all(docs, sort_keys=False)
    code = import_sources(parse(text, "in.yaml"), Options()).code
    assert 'image_pull_policy="IfNotPresent"' in code and "Patch(" not in code
    scope: dict[str, Any] = {}
    exec(compile(code, "imported.py", "exec"), scope)
    assert manifests(scope["app"]) == docs
