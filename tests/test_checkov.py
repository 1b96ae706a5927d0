"""checkov and kubernetes-validate, run for real, once per session, over the
output of every example and of the secure three-tier app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT, run_tiers

SECURE_APP = ROOT / "tests" / "data" / "secure-three-tier" / "app.py"
EVERY_WORKLOAD = ROOT / "tests" / "data" / "every-workload" / "app.py"
"""Every variant of Jobs, CronJobs, DaemonSets, ServiceAccounts and external Services."""
LATEST_APP = ROOT / "tests" / "data" / "latest-images" / "app.py"
"""The negative control: an image at ``:latest`` (the examples pin theirs)."""
LATEST_IMAGES = {"nginx:latest"}
"""CKV_K8S_14 ("image tag latest") is allowed for the control's image only."""
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory holding every example's output and the secure app's."""
    out = tmp_path_factory.mktemp("built")
    apps = {p.stem: p for p in sorted(EXAMPLES.glob("*.py"))} | {"secure_three_tier": SECURE_APP}
    apps["every_workload"] = EVERY_WORKLOAD
    apps["latest_images"] = LATEST_APP
    for name, path in apps.items():
        result = run_tiers("build", str(path))
        assert result.returncode == 0, result.stderr
        (out / f"{name}.yaml").write_text(result.stdout, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def checkov(built: Path) -> dict[str, Any]:
    """checkov's report over the directory: one run for the whole session."""
    command = [str(Path(sys.executable).with_name("checkov")), "-d", str(built)]
    command += ["--framework", "kubernetes", "-o", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def _images(built: Path) -> dict[tuple[str, str], str]:
    """(file, checkov resource id) → the workload's image."""
    found = {}
    for path in built.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc and doc["kind"] in WORKLOADS:
                meta = doc["metadata"]
                resource = f"{doc['kind']}.{meta['namespace']}.{meta['name']}"
                spec = (
                    doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]
                )
                image = spec["template"]["spec"]["containers"][0]["image"]
                found[f"/{path.name}", resource] = image
    return found


def _failures(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f["file_path"], f["resource"], f["check_id"]) for f in report["results"]["failed_checks"]
    ]


def _allowed(check: str, image: str) -> bool:
    if check == "CKV_K8S_14":
        return image in LATEST_IMAGES
    return check == "CKV_K8S_43" and "@sha256:" not in image


def test_checkov_ran_every_kubernetes_check(checkov: dict[str, Any]) -> None:
    summary = checkov["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] > 500, summary
    assert summary["resource_count"] > 30, summary


def test_examples_fail_no_check_but_the_seeds_image_choices(
    checkov: dict[str, Any], built: Path
) -> None:
    images = _images(built)
    unexpected = [
        (path, resource, check)
        for path, resource, check in _failures(checkov)
        if not _allowed(check, images.get((path, resource), ""))
    ]
    assert unexpected == []


def test_latest_images_are_reported_by_checkov(checkov: dict[str, Any]) -> None:
    latest = {(p, r) for p, r, c in _failures(checkov) if c == "CKV_K8S_14"}
    assert latest == {("/latest_images.yaml", "Deployment.latest.web")}


def test_secure_three_tier_fails_no_check_at_all(checkov: dict[str, Any], built: Path) -> None:
    """Zero is reachable: with real images pinned by digest, nothing fails."""
    images = [i for (path, _), i in _images(built).items() if path == "/secure_three_tier.yaml"]
    assert len(images) == 3 and all("@sha256:" in image for image in images), images
    failed = [(r, c) for p, r, c in _failures(checkov) if p == "/secure_three_tier.yaml"]
    assert failed == []


@pytest.mark.parametrize("version", ["1.30.0", None])
def test_everything_validates_strictly(built: Path, version: str | None) -> None:
    command = [str(Path(sys.executable).with_name("kubernetes-validate")), "--strict", "--quiet"]
    if version is not None:
        command += ["-k", version]
    files = sorted(str(p) for p in built.glob("*.yaml"))
    result = subprocess.run([*command, *files], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_checks_every_new_kind_and_fails_only_its_digest(checkov: dict[str, Any]) -> None:
    """Jobs, CronJobs, DaemonSets, ServiceAccounts, roles and external Services
    are read by checkov (it runs its checks on each) and fail nothing but
    the image digest."""
    passed: dict[str, int] = {}
    for found in checkov["results"]["passed_checks"]:
        if found["file_path"] == "/every_workload.yaml":
            passed[found["resource"]] = passed.get(found["resource"], 0) + 1
    for resource, least in (
        ("Job.every.backfill", 80),
        ("CronJob.every.rotate", 80),
        ("DaemonSet.every-nodes.probe", 80),
        ("Role.every.api-runner", 3),
        ("RoleBinding.every.api-runner", 5),
        ("ClusterRole.default.every-api-runner", 4),
        ("ClusterRoleBinding.default.every-api-runner", 5),
        ("ServiceAccount.every.api-runner", 2),
    ):
        assert passed.get(resource, 0) >= least, (resource, passed.get(resource))
    failed = {(r, c) for p, r, c in _failures(checkov) if p == "/every_workload.yaml"}
    assert {c for _, c in failed} == {"CKV_K8S_43"}
    assert {r.split(".")[0] for r, _ in failed} >= {"Job", "CronJob", "DaemonSet"}
