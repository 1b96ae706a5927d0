"""Every example's pods, as ``tiers build`` writes them, start under their
security context where the software is packaged in Debian, and become ready.

Each workload's main container (the one named after its tier, else the
first) is started with its image's stand-in (:mod:`tests.runtime.images`):
Debian's server for an official image, and for the app's own image a server
of the tier's role. What is not started is listed in :data:`NOT_STARTED` with
the reason, and ``test_every_container_is_started_or_listed`` holds the list
to the examples, so that a new example is not left out silently.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.conftest import ALL_EXAMPLES, Built
from tests.runtime import harness, images
from tests.runtime.harness import Image, Launch, Outcome
from tests.runtime.pods import Pod, config_maps, pods, service_names

NOT_STARTED = {
    # Sidecars and init containers: the harness starts one container per pod
    # (the pod's main one); these run software Debian does not package, or the
    # app's own code.
    **images.UNPACKAGED,
    "oliver006/redis_exporter": "a sidecar: one container per pod is started",
    "registry.example.com/shop/backend:migrate": "an init container of the app's own code",
    "registry.example.com/orders/api:migrate": "an init container of the app's own code",
}


def main_container(pod: Pod) -> dict[str, Any]:
    names = [c["name"] for c in pod.spec["containers"]]
    return pod.container(pod.name if pod.name in names else None)


def component(doc_pod: Pod, docs: list[dict[str, Any]]) -> str | None:
    for doc in docs:
        if doc.get("kind") == doc_pod.kind and doc["metadata"]["name"] == doc_pod.name:
            return doc["metadata"].get("labels", {}).get("app.kubernetes.io/component")
    return None


def secrets_for(pod: Pod) -> dict[str, dict[str, str]]:
    """A value for every Secret key the pod reads (the cluster would hold them)."""
    found: dict[str, dict[str, str]] = {}
    for container in pod.spec["containers"]:
        for item in container.get("env", []):
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                found.setdefault(ref["name"], {})[ref["key"]] = f"test-{ref['key']}"
    for volume in pod.spec.get("volumes", []):
        if "secret" in volume:
            keys = found.setdefault(volume["secret"]["secretName"], {})
            for item in volume["secret"].get("items", []):
                keys[item["key"]] = f"test-{item['key']}"
    return found


def stand_in_for(pod: Pod, docs: list[dict[str, Any]]) -> Image | None:
    """The stand-in for the image of the pod's main container."""
    container = main_container(pod)
    ports = [p["containerPort"] for p in container.get("ports", [])]
    return images.for_container(container["image"], component(pod, docs), next(iter(ports), None))


def launches(example: str, built: Built) -> dict[str, Launch]:
    """Each started pod of ``example``, by ``example/workload``."""
    docs = built.docs
    hosts = tuple(service_names(docs))
    found = {}
    for name, pod in pods(docs).items():
        container = main_container(pod)
        image = stand_in_for(pod, docs)
        assert image is not None, f"{example}/{name}: no stand-in for {container['image']}"
        found[f"{example}/{name}"] = Launch(
            pod, image, secrets_for(pod), config_maps(docs), hosts, container["name"], timeout=90
        )
    return found


def key(launch: Launch) -> str:
    """Pods with the same spec and stand-in start the same way: each runs once."""
    text = json.dumps([launch.pod.spec, launch.pod.claims, repr(launch.image)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def multi_tier_frontend_without_sysctl(built: dict[str, Built]) -> Launch:
    """The control: port 80 as uid 10001 without the pod's sysctl that allows it."""
    launch = launches("multi_tier", built["multi_tier"])["multi_tier/frontend"]
    spec = json.loads(json.dumps(launch.pod.spec))
    del spec["securityContext"]["sysctls"]
    pod = Pod(launch.pod.kind, launch.pod.name, launch.pod.namespace, spec, launch.pod.claims)
    return Launch(pod, launch.image, hosts=launch.hosts, container=launch.container, timeout=30)


@pytest.fixture(scope="module")
def started(
    built: dict[str, Built], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    missing = harness.tools_missing()
    assert not missing, f"missing {missing}: run scripts/setup-tools"
    every = {
        name: launch for ex in ALL_EXAMPLES for name, launch in launches(ex, built[ex]).items()
    }
    distinct = {key(launch): launch for launch in every.values()}
    distinct["control"] = multi_tier_frontend_without_sysctl(built)
    outcomes = harness.start_all(distinct, tmp_path_factory.mktemp("examples"))
    return {name: outcomes[key(launch)] for name, launch in every.items()} | {
        "control": outcomes["control"]
    }


def started_names(built: dict[str, Built]) -> list[str]:
    return sorted(n for ex in ALL_EXAMPLES for n in launches(ex, built[ex]))


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_example_pods_start(started: dict[str, Outcome], example: str) -> None:
    mine = {name: o for name, o in started.items() if name.startswith(f"{example}/")}
    assert mine, f"{example}: no pod started"
    failed = {name: str(o) for name, o in mine.items() if not o.ready}
    assert not failed, "\n\n".join(f"{name}: {text}" for name, text in failed.items())


def test_port_80_without_the_sysctl_fails(started: dict[str, Outcome]) -> None:
    outcome = started["control"]
    assert not outcome.ready
    assert "bind() to 0.0.0.0:80 failed (13: Permission denied)" in outcome.log, outcome


def test_every_container_is_started_or_listed(built: dict[str, Built]) -> None:
    """Each container of each example's workloads is either started (the
    main one, and the init containers the harness runs before it) or listed
    in NOT_STARTED (by repository, or image:container for the app's own images)."""
    unlisted = []
    for example in ALL_EXAMPLES:
        for name, pod in pods(built[example].docs).items():
            main = main_container(pod)
            stand_in = stand_in_for(pod, built[example].docs)
            ran = harness.init_containers(pod, main) if stand_in and stand_in.runs_init else []
            started = {main["name"], *(c["name"] for c in ran)}
            for container in pod.spec.get("initContainers", []) + pod.spec["containers"]:
                if container["name"] in started:
                    continue
                image = container["image"]
                own = f"{image.rsplit(':', 1)[0]}:{container['name']}"
                if images.repository(image) not in NOT_STARTED and own not in NOT_STARTED:
                    unlisted.append(f"{example}/{name}: {container['name']} ({image})")
    assert not unlisted, unlisted


def test_a_stand_in_is_found_for_each_official_image() -> None:
    assert images.repository("docker.io/library/nginx:1.27@sha256:00") == "docker.io/library/nginx"
    assert images.repository("localhost:5000/app:1") == "localhost:5000/app"
    assert images.for_container("mysql:8.4.3", None, 3306) is images.MYSQL
    assert images.for_container("mongo:8.0.26", "database", 27017) is None
    assert images.for_container("example/thing:1", None, None) is None
