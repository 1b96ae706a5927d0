"""The init containers tiers adds for a kind by itself (the copy of an image's
files into a writable path, RabbitMQ's credentials written into its conf.d)
are taken back on import: tiers' output imports into the kind it came from,
with no patch, and builds into the same YAML; a user's own init container of
the same name but another shape is imported as written."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tests.k8s import pod_spec
from tiers import App, Frontend, RabbitMQ, SecretKeyRef, Security, manifests
from tiers.importer import Options, import_sources
from tiers.importer.read import parse


def _app() -> App:
    app = App("shop", namespace="shop")
    user, password = SecretKeyRef("mq", "username"), SecretKeyRef("mq", "password")
    app.add(
        RabbitMQ("queue", env={"RABBITMQ_DEFAULT_USER": user, "RABBITMQ_DEFAULT_PASS": password})
    )
    app.add(Frontend("web", security=Security(writable_paths=["/etc/nginx/conf.d"])))
    return app


def _import(docs: list[dict[str, Any]]) -> str:
    text = yaml.safe_dump_all(docs, sort_keys=False)
    return import_sources(parse(text, "in.yaml"), Options()).code


def _build(code: str) -> list[dict[str, Any]]:
    scope: dict[str, Any] = {}
    exec(compile(code, "imported.py", "exec"), scope)
    return manifests(scope["app"])


def test_tiers_own_init_containers_import_back_into_the_kind() -> None:
    docs = manifests(_app())
    code = _import(docs)
    assert "RabbitMQ(" in code and "Frontend(" in code
    assert "Patch(" not in code and "init_containers" not in code
    assert 'SecretKeyRef("mq", "password")' in code
    assert yaml.safe_dump_all(_build(code)) == yaml.safe_dump_all(docs)


def test_a_users_init_container_of_the_same_name_is_kept() -> None:
    docs = manifests(_app())
    changed = copy.deepcopy(docs)
    [queue] = [d for d in changed if d["kind"] == "StatefulSet"]
    writer = pod_spec(queue)["initContainers"][1]
    writer["command"] = [*writer["command"][:5], "cluster_name", "/etc/secrets/mq/username"]
    code = _import(changed)
    assert "write-settings" in code  # not tiers' own: imported as written
