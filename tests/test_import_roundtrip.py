"""Round trip: import YAML, build the app, and find every input field again.

Each case is imported with the real CLI in its own process, built, imported
again from tiers' own output and built again (in process). Checked by other
means than the importer's own code: the subset comparison of
``tests/subset.py``, ``kubernetes-validate``, and ``ruff`` and
``mypy --strict`` on the written Python.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import ROOT, SEED
from tests.subset import missing
from tiers.cli import main

DATA = ROOT / "tests" / "data" / "import"
K8S_VERSION = "1.30.0"


@dataclass
class Case:
    name: str
    inputs: list[dict[str, Any]]
    app: Path
    stderr: str
    output: str
    again: Path
    output_again: str


def _objects(text: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(text) if d is not None]


def _kustomized() -> str:
    result = subprocess.run(
        ["kubectl", "kustomize", str(DATA / "kustomize")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _case(name: str, paths: list[str], stdin: str | None, work: Path) -> Case:
    texts = [stdin] if stdin is not None else []
    for path in (Path(p) for p in paths if p != "-"):
        files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
        texts += [f.read_text() for f in files]
    app = work / f"{name}_app.py"
    first = subprocess.run(
        [sys.executable, "-m", "tiers", "import", *paths, "-o", str(app)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert first.returncode == 0, first.stderr
    output = _build(app)
    (work / f"{name}.yaml").write_text(output)
    again = work / f"{name}_again.py"
    second = CliRunner().invoke(main, ["import", str(work / f"{name}.yaml"), "-o", str(again)])
    assert second.exit_code == 0, second.output
    inputs = [o for t in texts for o in _objects(t)]
    return Case(name, inputs, app, first.stderr, output, again, _build(again))


def _build(app: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(app)])
    assert result.exit_code == 0, result.output
    return result.stdout


CASES = {
    "seed": ([str(SEED)], None),
    "seed_files": ([str(SEED / "multi-tier.yaml"), str(SEED / "web-app.yaml")], None),
    "shop": ([str(DATA / "shop")], None),
    "operations": ([str(DATA / "operations")], None),
    "kustomize": (["-"], "kustomize"),
}


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> dict[str, Case]:
    work = tmp_path_factory.mktemp("import")
    return {
        name: _case(name, paths, _kustomized() if stdin else None, work)
        for name, (paths, stdin) in CASES.items()
    }


def _find(objects: list[dict[str, Any]], wanted: dict[str, Any]) -> dict[str, Any] | None:
    meta = wanted["metadata"]
    for o in objects:
        same = o["kind"] == wanted["kind"] and o["metadata"]["name"] == meta["name"]
        if same and meta.get("namespace") in (None, o["metadata"]["namespace"]):
            return o
    return None


def _comments(app: Path) -> str:
    lines = app.read_text().split("\nfrom tiers import")[0].splitlines()
    return " ".join(line[4:] for line in lines if line.startswith(("# - ", "#   ")))


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_input_field_is_in_the_output_or_warned_about(
    cases: dict[str, Case], name: str
) -> None:
    case = cases[name]
    outputs = _objects(case.output)
    for wanted in case.inputs:
        found = _find(outputs, wanted)
        meta = wanted["metadata"]
        where = f"{meta['namespace']}/{meta['name']}" if meta.get("namespace") else meta["name"]
        label = f"{wanted['kind']} '{where}'"
        if found is None:
            warned = [line for line in case.stderr.splitlines() if label in line]
            assert len(warned) == 1, f"{label} is neither in the output nor warned about once"
            assert label in _comments(case.app), f"{label} is not named at the top of app.py"
            continue
        moved = _moved_to_secrets(case.stderr, label)
        for name, secret in moved.items():
            assert _reads_secret(found, name, secret), f"{label}: {name} not read from {secret}"
        assert missing(found, _without_env(wanted, set(moved))) == [], label


MOVED = re.compile(
    r"(?P<label>\w+ '[^']+'): env (?P<names>[\w, ]+): a literal credential in the input is "
    r"not written into the app .* Secret '(?P<secret>[^']+)'.* which you must create "
    r"before applying: kubectl create secret generic (?P=secret) "
)


def _moved_to_secrets(stderr: str, label: str) -> dict[str, str]:
    """The env vars of ``label`` whose literal value the import warned it moved
    to a Secret (the one documented change of an input field), and that Secret."""
    found = {}
    for match in MOVED.finditer(stderr):
        if match["label"] == label:
            found.update({n: match["secret"] for n in match["names"].split(", ")})
    return found


def _reads_secret(manifest: dict[str, Any], name: str, secret: str) -> bool:
    """The pod reads key ``name`` of Secret ``secret``: as env, or as a mounted file."""
    pod = manifest["spec"]["template"]["spec"]
    refs = [
        e.get("valueFrom", {}).get("secretKeyRef", {})
        for c in pod["containers"]
        for e in c.get("env", [])
    ]
    files = [
        item["key"]
        for v in pod.get("volumes", [])
        if v.get("secret", {}).get("secretName") == secret
        for item in v["secret"].get("items", [])
    ]
    return {"name": secret, "key": name} in refs or name in files


def _without_env(manifest: dict[str, Any], names: set[str]) -> dict[str, Any]:
    result = copy.deepcopy(manifest)
    for c in result.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
        if "env" in c:
            c["env"] = [e for e in c["env"] if e.get("name") not in names]
    return result


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_second_import_builds_the_same_yaml(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    assert case.output_again == case.output
    assert "warning" not in case.again.read_text().split("from tiers import")[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_output_is_valid_kubernetes(cases: dict[str, Case], name: str) -> None:
    for manifest in _objects(cases[name].output):
        kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)


def test_the_written_python_is_formatted_and_typed(cases: dict[str, Case]) -> None:
    files = [str(p) for c in cases.values() for p in (c.app, c.again)]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", *files],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E,F,W,I", *files],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert mypy.returncode == 0, mypy.stdout


def test_the_seed_imports_into_references_and_kinds(cases: dict[str, Case]) -> None:
    code = cases["seed"].app.read_text()
    assert 'mysql = app.add(\n    MySQL(\n        "mysql",\n        image="mysql:5.7",' in code
    assert '"DB_HOST": mysql.host' in code
    assert '"API_URL": backend.url()' in code
    assert "Frontend(" not in code and "Backend(" not in code


def test_the_shop_keeps_what_the_model_lacks_as_patches(cases: dict[str, Case]) -> None:
    code = cases["shop"].app.read_text()
    for expected in (
        'MySQL(\n        "mysql",',
        'storage=Storage("10Gi")',
        '"nodeSelector": {"disktype": "ssd"}',
        'Container(\n                "log-shipper",',
        '"secretKeyRef": {',
        "# a patch of the Service: tiers import writes no typed field for",
        'Patch("Service", {"spec": {"externalTrafficPolicy": "Local"}})',
        "ServicePort(80, node_port=30080)",
        '"DB_HOST": mysql.endpoint("mysql").dns_name("fqdn")',
        '"DB_PORT": mysql.endpoint("mysql").port_ref()',
        '"DB_PEERS": mysql.dns_name("namespace")',
        '"API_URL": backend.url(port=8080, path="/api")',
        '"API_HOST": backend.dns_name("svc")',
        '"HOME_URL": "https://example.com/"',
    ):
        assert expected in code, expected


def test_stdin_from_kustomize_is_imported(cases: dict[str, Case]) -> None:
    code = cases["kustomize"].app.read_text()
    assert 'app = App("kz", namespace="kz", create_namespace=False)' in code
    assert "worker = app.add(\n    Backend(" in code
    assert '"CACHE_HOST": cache.host' in code
    assert '"CACHE_PORT": cache.port_ref()' in code
    assert '"CACHE_URL": cache.url(scheme="redis", port=6379, path="/0")' in code


def test_jobs_daemonsets_accounts_and_external_services_are_imported_as_typed_objects(
    cases: dict[str, Case],
) -> None:
    code = cases["operations"].app.read_text()
    for expected in (
        'ExternalService("billing-db", ports=[5432], external_name="billing.db.example.net")',
        'ports=[ServicePort(389, target_port=1389)],\n        addresses=["10.1.2.3"],',
        "log_agent = app.add(\n    DaemonSet(",
        'host_paths=[HostPath("/var/log")]',
        'Toleration("node-role.kubernetes.io/control-plane", effect="NoSchedule")',
        "max_unavailable=2,",
        'Permission(["configmaps"], ["get", "list", "watch"])',
        '"DB_HOST": billing_db.host',
        '"LDAP_HOST": ldap.dns_name("fqdn")',
        "db_migrate = app.add(\n    Job(",
        'restart_policy="OnFailure"',
        'schedule="*/30 * * * *"',
        'concurrency_policy="Allow"',
        '"API_URL": api.url()',
    ):
        assert expected in code, expected
    assert "not imported" not in cases["operations"].stderr
