"""docs/workloads.md, on Jobs, CronJobs, node agents, API access and
external Services, run as a user would: each code block is built through the
CLI, validated by kubernetes-validate (1.30 and the newest) and checkov, and
imported back into the same YAML; the Flux Kustomizations it shows point at
the directories tiers writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, run_tiers
from tests.test_schema import VERSIONS

PAGE = ROOT / "docs" / "workloads.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """Each Python block as ``readme_<n>.py`` and the YAML ``tiers build`` writes for it."""
    work = tmp_path_factory.mktemp("readme")
    found = {}
    for number, block in enumerate(_blocks("python")):
        app = work / f"readme_{number}.py"
        app.write_text(block, encoding="utf-8")
        result = run_tiers("build", str(app))
        assert result.returncode == 0, result.stderr
        (work / "out").mkdir(exist_ok=True)
        (work / "out" / f"readme_{number}.yaml").write_text(result.stdout, encoding="utf-8")
        found[f"readme_{number}"] = (app, result.stdout)
    return found


def _docs(text: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(text) if d}


def test_the_page_has_its_three_apps_and_the_flux_example(built: dict[str, Any]) -> None:
    assert sorted(built) == ["readme_0", "readme_1", "readme_2"]
    assert len(_blocks("yaml")) == 1


def test_the_migration_runs_between_the_database_and_the_backend(built: dict[str, Any]) -> None:
    docs = _docs(built["readme_0"][1])
    job = docs[("Job", "migrate")]["metadata"]["annotations"]
    assert job["argocd.argoproj.io/hook"] == "Sync"
    assert job["argocd.argoproj.io/sync-wave"] == "1"
    wave = docs[("Deployment", "backend")]["metadata"]["annotations"][
        "argocd.argoproj.io/sync-wave"
    ]
    assert wave == "2"
    assert "annotations" not in docs[("StatefulSet", "mysql")]["metadata"]
    assert docs[("CronJob", "nightly-report")]["spec"]["schedule"] == "0 2 * * *"
    rules = docs[("Role", "backend")]["rules"]
    assert rules == [
        {
            "apiGroups": [""],
            "resources": ["configmaps"],
            "resourceNames": ["shop-flags"],
            "verbs": ["get"],
        }
    ]


def test_the_node_agent_and_the_external_services(built: dict[str, Any]) -> None:
    agent = _docs(built["readme_1"][1])
    pod = agent[("DaemonSet", "node-exporter")]["spec"]["template"]["spec"]
    assert [v["hostPath"]["path"] for v in pod["volumes"] if "hostPath" in v] == ["/proc", "/sys"]
    labels = agent[("Namespace", "monitoring")]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "privileged"
    external = _docs(built["readme_2"][1])
    assert external[("Service", "orders-db")]["spec"]["externalName"] == "orders.db.example.com"
    assert external[("EndpointSlice", "mail-relay")]["endpoints"] == [{"addresses": ["10.20.0.25"]}]
    egress = external[("NetworkPolicy", "backend-network-policy")]["spec"]["egress"]
    blocks = [p["ipBlock"]["cidr"] for rule in egress for p in rule.get("to", []) if "ipBlock" in p]
    assert sorted(blocks) == ["10.20.0.25/32", "10.30.0.0/16"]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_object_is_valid_kubernetes(built: dict[str, Any], version: str) -> None:
    files = [str(app.parent / "out" / f"{name}.yaml") for name, (app, _) in built.items()]
    command = [str(Path(sys.executable).with_name("kubernetes-validate")), "--strict", "--quiet"]
    result = subprocess.run(
        [*command, "-k", f"{version}.0", *files], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_fails_nothing_but_the_image_digest(built: dict[str, Any]) -> None:
    directory = next(iter(built.values()))[0].parent / "out"
    command = [str(Path(sys.executable).with_name("checkov")), "-d", str(directory)]
    result = subprocess.run(
        [*command, "--framework", "kubernetes", "-o", "json", "--quiet"],
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    assert report["summary"]["passed"] > 300
    failed = {f["check_id"] for f in report["results"]["failed_checks"]}
    assert failed == {"CKV_K8S_43"}


def test_each_app_imports_back_into_the_same_yaml(built: dict[str, Any], tmp_path: Path) -> None:
    for name, (_app, output) in built.items():
        source = tmp_path / f"{name}.yaml"
        source.write_text(output, encoding="utf-8")
        imported = tmp_path / f"{name}_imported.py"
        result = run_tiers("import", str(source), "-o", str(imported))
        assert result.returncode == 0, result.stderr
        assert "0 warning(s)" in result.stderr, result.stderr
        again = run_tiers("build", str(imported))
        assert again.returncode == 0, again.stderr
        assert again.stdout == output, name


def test_the_flux_kustomizations_point_at_the_resource_layouts_directories(
    built: dict[str, Any], tmp_path: Path
) -> None:
    app, _ = built["readme_0"]
    result = run_tiers("build", str(app), "-o", str(tmp_path / "deploy"), "--layout", "resource")
    assert result.returncode == 0, result.stderr
    kustomizations = list(yaml.safe_load_all(_blocks("yaml")[0]))
    names = {k["metadata"]["name"] for k in kustomizations}
    for kustomization in kustomizations:
        directory = tmp_path / kustomization["spec"]["path"]
        assert (directory / "kustomization.yaml").is_file(), directory
        for dependency in kustomization["spec"].get("dependsOn", []):
            assert dependency["name"] in names | {"shop-mysql"}
    assert (tmp_path / "deploy" / "mysql" / "kustomization.yaml").is_file()
    assert kustomizations[0]["spec"]["wait"] is True
