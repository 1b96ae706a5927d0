"""Each example reproduces its seed manifest: every object of the seed is in
the build, with the same kind, name, replicas, images, ports, Service type,
env and selection. Compared field by field on parsed YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import k8s
from tests.conftest import EXAMPLES, SEED_EXAMPLES, Built
from tiers.loader import load_app
from tiers.model.app import Tier

STATEFUL_KINDS = frozenset({"MySQL"})
"""Tier kinds that may be compiled to a StatefulSet where the seed has a Deployment."""

SECRET_ENV = frozenset({"MYSQL_ROOT_PASSWORD"})
"""Env vars that may come from a Secret instead of a literal value."""

CASES = [(example, seed) for example, seed in SEED_EXAMPLES.items()]


def load_seed(seed_dir: Path, name: str) -> list[k8s.Doc]:
    with (seed_dir / name).open(encoding="utf-8") as handle:
        return [d for d in yaml.safe_load_all(handle) if d is not None]


def model_tiers(example: str) -> dict[str, Tier]:
    """The example's tiers as written, by workload name."""
    app = load_app(str(EXAMPLES / f"{example}.py"))
    return {t.workload_name or t.name: t for t in app.tiers}


def allowed_kinds(seed_obj: k8s.Doc, tiers: dict[str, Tier]) -> set[str]:
    kind = str(seed_obj["kind"])
    tier = tiers.get(seed_obj["metadata"]["name"])
    if kind == "Deployment" and tier is not None and tier.kind in STATEFUL_KINDS:
        return {"Deployment", "StatefulSet"}
    return {kind}


def counterpart(seed_obj: k8s.Doc, docs: list[k8s.Doc], kinds: set[str]) -> k8s.Doc:
    name = seed_obj["metadata"]["name"]
    found = [d for d in docs if d["kind"] in kinds and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {'/'.join(sorted(kinds))} named {name!r}, got {found}"
    return found[0]


def pairs(
    example: str, seed: str, built: dict[str, Built], seed_dir: Path
) -> list[tuple[k8s.Doc, k8s.Doc]]:
    """Each seed object with the built object that stands for it."""
    docs = built[example].docs
    tiers = model_tiers(example)
    return [
        (obj, counterpart(obj, docs, allowed_kinds(obj, tiers)))
        for obj in load_seed(seed_dir, seed)
    ]


@pytest.mark.parametrize(("example", "seed"), CASES)
def test_every_seed_object_is_built(
    example: str, seed: str, built: dict[str, Built], seed_dir: Path
) -> None:
    found = pairs(example, seed, built, seed_dir)
    assert found, f"the seed {seed} has no objects"


@pytest.mark.parametrize(("example", "seed"), CASES)
def test_workloads_match(example: str, seed: str, built: dict[str, Built], seed_dir: Path) -> None:
    for want, got in pairs(example, seed, built, seed_dir):
        if want["kind"] in k8s.WORKLOAD_KINDS:
            assert_same_workload(want, got, built[example].docs)


@pytest.mark.parametrize(("example", "seed"), CASES)
def test_services_match(example: str, seed: str, built: dict[str, Built], seed_dir: Path) -> None:
    seed_docs = load_seed(seed_dir, seed)
    docs = built[example].docs
    for want, got in pairs(example, seed, built, seed_dir):
        if want["kind"] == "Service":
            assert_same_service(want, got, seed_docs, docs)


def assert_same_workload(want: k8s.Doc, got: k8s.Doc, docs: list[k8s.Doc]) -> None:
    name = want["metadata"]["name"]
    assert got["spec"].get("replicas", 1) == want["spec"].get("replicas", 1), name
    got_containers = {c["name"]: c for c in k8s.containers(got)}
    for container in k8s.containers(want):
        assert container["name"] in got_containers, f"{name}: no container {container['name']}"
        mine = got_containers[container["name"]]
        assert same_image(mine["image"], container["image"]), name
        assert port_numbers(mine) == port_numbers(container), name
        assert_same_env(container, mine, got, docs)
    selector = got["spec"]["selector"]["matchLabels"]
    assert selector.items() <= k8s.pod_labels(got).items(), f"{name}: selects not its own pods"


def same_image(mine: str, seed: str) -> bool:
    """The same image, where a pinned tag of the repository stands for the
    seed's ``:latest`` (the examples pin it: ``tiers validate --strict`` warns
    about ``latest``)."""
    repository, _, tag = seed.rpartition(":")
    if tag == "latest":
        return mine.startswith(f"{repository}:") and not mine.endswith(":latest")
    return mine == seed


def port_numbers(container: k8s.Doc) -> set[tuple[int, str]]:
    return {(p["containerPort"], p.get("protocol", "TCP")) for p in container.get("ports", [])}


def assert_same_env(want: k8s.Doc, got: k8s.Doc, workload: k8s.Doc, docs: list[k8s.Doc]) -> None:
    env = k8s.env_of(got)
    for name, var in k8s.env_of(want).items():
        if name in SECRET_ENV and "value" not in env.get(name, {}):
            assert_secret_env(name, env, got, workload)
            continue
        assert name in env, f"{got['name']}: env {name} is missing"
        assert env[name].get("value") == var["value"], f"{got['name']}: env {name}"


def assert_secret_env(
    name: str, env: dict[str, k8s.Doc], container: k8s.Doc, workload: k8s.Doc
) -> None:
    """``name`` is set from a Secret: a secretKeyRef, or ``<name>_FILE`` naming a
    file in a mounted Secret volume."""
    if name in env:
        ref = env[name].get("valueFrom", {}).get("secretKeyRef", {})
        assert ref.get("name") and ref.get("key"), f"{name}: {env[name]} is not a secretKeyRef"
        return
    assert f"{name}_FILE" in env, f"{name} is not set (neither a value, a Secret nor a file)"
    path = env[f"{name}_FILE"]["value"]
    volumes = {v["name"]: v for v in k8s.pod_spec(workload).get("volumes", [])}
    mounts = [
        m
        for m in container.get("volumeMounts", [])
        if path.startswith(m["mountPath"].rstrip("/") + "/")
    ]
    assert any(is_secret_volume(volumes.get(m["name"], {})) for m in mounts), (
        f"{name}_FILE={path} lies in no mounted Secret"
    )


def is_secret_volume(volume: dict[str, Any]) -> bool:
    if "secret" in volume:
        return True
    sources = volume.get("projected", {}).get("sources", [])
    return any("secret" in s for s in sources)


def assert_same_service(
    want: k8s.Doc, got: k8s.Doc, seed_docs: list[k8s.Doc], docs: list[k8s.Doc]
) -> None:
    name = want["metadata"]["name"]
    spec, mine = want["spec"], got["spec"]
    assert mine.get("type", "ClusterIP") == spec.get("type", "ClusterIP"), name
    assert (mine.get("clusterIP") == "None") == (spec.get("clusterIP") == "None"), name
    pods = k8s.selected(got, docs)
    assert len(pods) == 1, f"{name} selects {len(pods)} workloads"
    seed_pods = k8s.selected(want, seed_docs)
    if seed_pods:
        assert pods[0]["metadata"]["name"] == seed_pods[0]["metadata"]["name"], name
    assert_same_ports(want, got, pods[0], seed_pods[0] if seed_pods else None)


def assert_same_ports(
    want: k8s.Doc, got: k8s.Doc, pods: k8s.Doc, seed_pods: k8s.Doc | None
) -> None:
    name = want["metadata"]["name"]
    wanted = want["spec"]["ports"]
    mine = got["spec"]["ports"]
    assert len(mine) == len(wanted), name
    for port in wanted:
        match = [p for p in mine if p["port"] == port["port"]]
        assert len(match) == 1, f"{name}: no Service port {port['port']}"
        ours = match[0]
        assert ours.get("protocol", "TCP") == port.get("protocol", "TCP"), name
        if "name" in port:
            assert ours.get("name") == port["name"], name
        target = k8s.target_number(ours, pods)
        assert target is not None, f"{name}: port {port['port']} forwards to no container port"
        assert target == seed_target(port, seed_pods), f"{name}: port {port['port']}"


def seed_target(port: k8s.Doc, seed_pods: k8s.Doc | None) -> int:
    """The seed's target port as a number: resolved through the seed's own pods
    when it is a name."""
    target = port.get("targetPort", port["port"])
    if isinstance(target, int):
        return target
    assert seed_pods is not None, f"the seed's targetPort {target!r} selects no pods"
    number = k8s.target_number(port, seed_pods)
    assert number is not None
    return number
