"""External programs the GitOps tests run for real: kubectl and Graphviz's dot.

They are installed by ``scripts/setup-tools`` (``scripts/test`` runs it), never by
a test: a test whose program is missing fails and names that script; it is never
skipped or mocked.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


SETUP = "scripts/setup-tools"
"""The setup step a failing test names when its program is missing."""


def missing(what: str) -> None:
    """Fail the test: ``what`` is not installed."""
    pytest.fail(f"{what} is missing: run `bash {SETUP}` (as root) to install it", pytrace=False)


@functools.cache
def ensure_tool(name: str) -> str:
    """The path of program ``name``; the test fails when it is not installed."""
    found = shutil.which(name)
    if found is None:
        missing(f"the program {name!r}")
    assert found is not None
    return found


def kustomize(directory: Path) -> list[dict[str, Any]]:
    """The objects ``kubectl kustomize DIRECTORY`` builds."""
    done = subprocess.run(
        [ensure_tool("kubectl"), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d is not None]


def keyed(docs: list[dict[str, Any]]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """Objects by (apiVersion, kind, namespace, name); fails on a duplicate."""
    result = {}
    for doc in docs:
        meta = doc["metadata"]
        key = (doc["apiVersion"], doc["kind"], meta.get("namespace", ""), meta["name"])
        assert key not in result, f"duplicate object {key}"
        result[key] = doc
    return result


def mermaid_parse(*texts: str) -> list[dict[str, Any]]:
    """Mermaid's own parser on each of ``texts`` (one Node.js run): their nodes
    and edges. Fails on a parse error."""
    import json

    script = ROOT / "tests" / "mermaid" / "parse.mjs"
    if not (script.parent / "node_modules" / "mermaid").is_dir():
        missing("Mermaid's parser (tests/mermaid/node_modules)")
    done = subprocess.run(
        [ensure_tool("node"), str(script)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"Mermaid cannot parse the diagram: {done.stderr}"
    parsed: list[dict[str, Any]] = json.loads(done.stdout)
    return parsed


CRON_ORACLE = ROOT / "tests" / "cron" / "oracle.go"
GOPATH = "/usr/share/gocode"
"""Where Debian's golang-github-robfig-cron-dev puts robfig/cron v3.0.1."""


def cron_oracle(directory: Path) -> Path:
    """``tests/cron/oracle.go`` built into ``directory``: robfig/cron's
    ``ParseStandard``, which the API server checks schedules with."""
    go = ensure_tool("go")
    if not (Path(GOPATH) / "src" / "github.com" / "robfig" / "cron").is_dir():
        missing("robfig/cron (Debian's golang-github-robfig-cron-dev)")
    binary = directory / "cron-oracle"
    environment = {"GO111MODULE": "off", "GOPATH": GOPATH, "GOCACHE": str(directory / "cache")}
    environment |= {"PATH": str(Path(go).parent), "HOME": str(directory)}
    done = subprocess.run(
        [go, "build", "-o", str(binary), str(CRON_ORACLE)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, f"cannot build the cron oracle: {done.stderr}"
    return binary
