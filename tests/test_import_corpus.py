"""Import of multi-service apps written as their upstream authors write them
(``tests/data/import/corpus/``: no NetworkPolicies, fixed DNS names, gRPC
addresses, StatefulSet ensembles, sidecars, ServiceAccounts, PVCs).

For each: import, build, then (a) every input object is in the build, every
field kept (``tests/subset.py``), or named by a warning; (b) np-guard's
network-config-analyzer, run for real, allows every connection the input's
pods make (``expected.yaml``, written by hand from the input), and what it
allows beyond that is printed; (c) ``kubernetes-validate --strict``; (d) a
second import of the build (with the objects kept beside it) builds the
same YAML. The written Python passes
``ruff`` and ``mypy --strict``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.netpol import Conn, connectivity
from tests.subset import missing
from tiers.cli import main

CORPUS = ROOT / "tests" / "data" / "import" / "corpus"
CASES = sorted(p.stem for p in CORPUS.glob("*.yaml") if p.stem != "expected")
EXPECTED: dict[str, list[str]] = yaml.safe_load((CORPUS / "expected.yaml").read_text())
K8S_VERSION = "1.30.0"


@dataclass
class Imported:
    inputs: list[dict[str, Any]]
    code: Path
    warnings: str
    built: str
    again: str


def _objects(text: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(text) if d]


def _import_and_build(source: Path, out: Path) -> tuple[str, str]:
    runner = CliRunner()
    imported = runner.invoke(main, ["import", str(source), "-o", str(out), "--force"])
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(main, ["build", str(out)])
    assert built.exit_code == 0, built.output
    return imported.output, built.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Imported]:
    work = tmp_path_factory.mktemp("corpus")
    (work / "again").mkdir()
    found = {}
    for name in CASES:
        source = CORPUS / f"{name}.yaml"
        warnings, built = _import_and_build(source, work / f"{name}.py")
        inputs = _objects(source.read_text())
        # what the user keeps beside the app, as the warnings say, goes with it
        made = {_key(d) for d in _objects(built)}
        beside = [d for d in inputs if _key(d) not in made]
        stream = built + "---\n" + yaml.safe_dump_all(beside, sort_keys=False) if beside else built
        (work / f"{name}.built.yaml").write_text(stream)
        _, again = _import_and_build(work / f"{name}.built.yaml", work / "again" / f"{name}.py")
        found[name] = Imported(inputs, work / f"{name}.py", warnings, built, again)
    return found


def test_the_corpus_has_six_apps_each_with_its_expected_connections() -> None:
    assert len(CASES) >= 6
    assert sorted(EXPECTED) == CASES


def _key(doc: dict[str, Any]) -> tuple[str, str, str]:
    meta = doc["metadata"]
    return doc["kind"], meta.get("namespace", "default"), meta["name"]


@pytest.mark.parametrize("name", CASES)
def test_every_input_object_is_built_whole_or_named_by_a_warning(
    corpus: dict[str, Imported], name: str
) -> None:
    case = corpus[name]
    built = {_key(d): d for d in _objects(case.built)}
    for wanted in case.inputs:
        key = _key(wanted)
        named = f"{wanted['kind']} '{key[2]}'" in case.warnings
        named |= f"{wanted['kind']} '{key[1]}/{key[2]}'" in case.warnings
        if key not in built:
            assert named, f"{key} is neither built nor named by a warning"
        elif not named:
            assert missing(built[key], wanted) == [], key


@pytest.mark.parametrize("name", CASES)
def test_the_analyzer_allows_every_connection_of_the_input(
    corpus: dict[str, Imported], name: str
) -> None:
    allowed = connectivity(_objects(corpus[name].built))
    wanted = {Conn(*_parts(line)) for line in EXPECTED[name]}
    assert wanted - allowed == set()
    beyond = sorted(str(c) for c in allowed - wanted if c.target != "dns")
    print(f"{name}: allowed beyond the input's wiring: {beyond}")


def _parts(line: str) -> tuple[str, str, str]:
    source, rest = line.split(" -> ")
    target, port = rest.split(" ")
    return source, target, port


@pytest.mark.parametrize("name", CASES)
def test_the_build_is_schema_valid(corpus: dict[str, Imported], name: str) -> None:
    for doc in _objects(corpus[name].built):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


@pytest.mark.parametrize("name", CASES)
def test_a_second_import_of_the_build_builds_it_again(
    corpus: dict[str, Imported], name: str
) -> None:
    assert corpus[name].again == corpus[name].built


@pytest.mark.parametrize("name", CASES)
def test_env_wiring_is_written_as_references(corpus: dict[str, Imported], name: str) -> None:
    code = corpus[name].code.read_text()
    for host in ("redis-leader:6379", "productcatalogservice:3550", "postgres:5432", "zk-cs:2181"):
        assert f'"{host}' not in code, host


def test_the_written_apps_pass_ruff_and_mypy_strict(corpus: dict[str, Imported]) -> None:
    files = [str(c.code) for c in corpus.values()]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", *files],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_a_negative_control_the_analyzer_denies_a_connection_without_wiring(
    corpus: dict[str, Imported],
) -> None:
    """The oracle can fail: with the open calls taken out of the guestbook's
    build, the frontend may no longer reach Redis."""
    docs = _objects(corpus["guestbook"].built)
    for doc in docs:
        if doc["kind"] == "NetworkPolicy":
            doc["spec"]["egress"] = doc["spec"]["egress"][:1]  # DNS only
    allowed = connectivity(docs)
    assert Conn("default/frontend", "default/redis-leader", "TCP/6379") not in allowed


def test_objects_kept_beside_name_the_pods_that_still_use_them(
    corpus: dict[str, Imported],
) -> None:
    warned = corpus["wordpress"].warnings.replace("\n", " ")
    assert "PersistentVolumeClaim 'mysql-pv-claim'" in warned
    assert "The app's pods still name it: Deployment 'wordpress-mysql' (volume" in warned


def test_a_namespace_object_only_where_the_input_has_one(corpus: dict[str, Imported]) -> None:
    def namespaces(name: str) -> list[str]:
        built = _objects(corpus[name].built)
        return [d["metadata"]["name"] for d in built if d["kind"] == "Namespace"]

    assert namespaces("guestbook") == []
    assert namespaces("monitoring") == ["monitoring"]


def test_one_disruption_budget_per_tier_never_two(corpus: dict[str, Imported]) -> None:
    def budgets(name: str) -> list[str]:
        built = _objects(corpus[name].built)
        return sorted(d["metadata"]["name"] for d in built if d["kind"] == "PodDisruptionBudget")

    assert budgets("migrate") == ["orders-api"]  # the input's, typed
    assert "zk" not in budgets("kafka")  # zk-pdb stays beside: tiers adds none
    assert "disruption_budget=False" in corpus["kafka"].code.read_text()


def test_server_images_become_their_kinds(corpus: dict[str, Imported]) -> None:
    assert "    Postgres(\n" in corpus["migrate"].code.read_text()
    assert "    Redis(\n" in corpus["guestbook"].code.read_text()
    assert "    MySQL(\n" in corpus["wordpress"].code.read_text()
