"""A PHP CMS on ``php:*-apache`` (``apps/cms.py``, a general tier written from
the README) starts on Debian's Apache with mod_php under its pod spec: PHP
answers on port 80 as uid 10001 (the pod's sysctl), Apache writes only its
emptyDirs, the CMS writes its uploads volume through ``fsGroup``. Without the
lock directory, or with the uploads volume not group-owned, it does not."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_tiers
from tests.runtime import harness, images
from tests.runtime.harness import Launch, Outcome
from tests.runtime.pods import Pod, pods, service_names

APP = Path(__file__).parent / "apps" / "cms.py"
FETCH = (
    "python3",
    "-c",
    "import urllib.request as u; "
    f"assert b'ok from PHP' in u.urlopen('http://{harness.POD_IP}/').read()",
)


def changed(pod: Pod, change: Any) -> Pod:
    spec = copy.deepcopy(pod.spec)
    change(spec)
    return Pod(pod.kind, pod.name, pod.namespace, spec, pod.claims)


def without_lock_dir(spec: dict[str, Any]) -> None:
    mounts = spec["containers"][0]["volumeMounts"]
    spec["containers"][0]["volumeMounts"] = [
        m for m in mounts if m["mountPath"] != "/var/lock/apache2"
    ]


def without_fs_group(spec: dict[str, Any]) -> None:
    del spec["securityContext"]["fsGroup"]


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    missing = harness.tools_missing()
    assert not missing, f"missing {missing}: run scripts/setup-tools"
    result = run_tiers("build", str(APP))
    assert result.returncode == 0, result.stderr
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    pod = pods(docs)["cms"]
    image = images.for_container(pod.container()["image"], None, 80)
    assert image is not None
    hosts = tuple(service_names(docs))
    launches = {
        "cms": Launch(pod, image, hosts=hosts, after=FETCH),
        "no-lock-dir": Launch(changed(pod, without_lock_dir), image, hosts=hosts, timeout=20),
        "no-fs-group": Launch(changed(pod, without_fs_group), image, hosts=hosts, timeout=20),
    }
    return harness.start_all(launches, tmp_path_factory.mktemp("cms"))


def test_cms_serves_php_and_writes_its_uploads(started: dict[str, Outcome]) -> None:
    outcome = started["cms"]
    assert outcome.ready, outcome
    assert 'GET / HTTP/1.1" 200' in outcome.log


def test_without_the_lock_directory_apache_does_not_start(started: dict[str, Outcome]) -> None:
    outcome = started["no-lock-dir"]
    assert not outcome.ready
    assert "/var/lock/apache2" in outcome.log, outcome


def test_uploads_not_group_owned_fail_the_probe(started: dict[str, Outcome]) -> None:
    outcome = started["no-fs-group"]
    assert not outcome.ready
    assert "Permission denied" in outcome.log, outcome
