"""External programs the GitOps tests run for real: kubectl and Graphviz's dot.

When one is missing, it is installed the way CI installs it (``.ci/install-tools``);
a test that still cannot find it fails, it is never skipped or mocked.
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


@functools.cache
def ensure_tool(name: str) -> str:
    """The path of program ``name``, installing it first when it is missing."""
    if shutil.which(name) is None:
        subprocess.run(["bash", str(ROOT / ".ci" / "install-tools")], check=False)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing and .ci/install-tools could not install it (needs root)")
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
        subprocess.run(["bash", str(ROOT / ".ci" / "install-tools")], check=False)
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
