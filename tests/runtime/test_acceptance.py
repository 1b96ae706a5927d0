"""The order service of ``apps/orders.py`` (Postgres, Redis, RabbitMQ, a
slow-starting JVM-style service and a frontend, written from the README
alone) builds without patches, passes ``tiers validate --strict``, and every
pod starts under the harness: the JVM service is stood in for by a server
that listens only after :data:`SLOW_START` seconds, which its startup probe
allows and a shorter startup budget does not."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_tiers
from tests.runtime import harness, images
from tests.runtime.harness import Launch, Outcome
from tests.runtime.pods import Pod, pods, service_names

APP = Path(__file__).parent / "apps" / "orders.py"
SLOW_START = 20.0
SECRETS = {
    "db-credentials": {"password": "db-pw"},
    "mq-credentials": {"username": "orders", "password": "mq-pw"},
}
STAND_INS = {
    "db": images.POSTGRES,
    "cache": images.REDIS,
    "mq": images.RABBITMQ,
    "orders": images.app_server(8080, slow_start=SLOW_START),
    "web": images.nginx(unprivileged=True, port=8080),
}


def tight_startup(pod: Pod) -> Pod:
    """The control: a startup budget of 10 s, shorter than the start."""
    spec = copy.deepcopy(pod.spec)
    spec["containers"][0]["startupProbe"].update(failureThreshold=1, periodSeconds=10)
    return Pod(pod.kind, pod.name, pod.namespace, spec, pod.claims)


@pytest.fixture(scope="module")
def built() -> list[dict[str, object]]:
    result = run_tiers("build", str(APP))
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d]


@pytest.fixture(scope="module")
def started(
    built: list[dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    missing = harness.tools_missing()
    assert not missing, f"missing {missing}: run scripts/setup-tools"
    found = pods(built)  # type: ignore[arg-type]
    hosts = tuple(service_names(built))  # type: ignore[arg-type]
    launches = {
        name: Launch(found[name], image, SECRETS, hosts=hosts, timeout=90)
        for name, image in STAND_INS.items()
    }
    launches["orders-tight-startup"] = Launch(
        tight_startup(found["orders"]), STAND_INS["orders"], SECRETS, hosts=hosts, timeout=90
    )
    return harness.start_all(launches, tmp_path_factory.mktemp("orders"), workers=6)


def test_validates_strictly_without_patches() -> None:
    result = run_tiers("validate", "--strict", str(APP))
    assert result.returncode == 0, result.stderr
    assert "Patch" not in APP.read_text()


def test_every_pod_is_started(built: list[dict[str, object]]) -> None:
    assert set(pods(built)) == set(STAND_INS)  # type: ignore[arg-type]


@pytest.mark.parametrize("tier", sorted(STAND_INS))
def test_pod_becomes_ready(started: dict[str, Outcome], tier: str) -> None:
    outcome = started[tier]
    assert outcome.ready, f"{tier}: {outcome}"


def test_slow_service_is_ready_after_its_slow_start(started: dict[str, Outcome]) -> None:
    assert started["orders"].seconds >= SLOW_START


def test_a_startup_budget_shorter_than_the_start_fails(started: dict[str, Outcome]) -> None:
    outcome = started["orders-tight-startup"]
    assert not outcome.ready
    assert outcome.reason == "probe httpGet still failing after 10 s", outcome
