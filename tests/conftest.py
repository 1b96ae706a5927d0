"""Shared helpers: build the examples, through the library and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


SEED = ROOT / "tests" / "data" / "seed"
"""The seed tutorial's manifests, kept in the repository (see its README.md)."""

SEED_EXAMPLES = {
    "web_app": "web-app.yaml",
    "multi_tier": "multi-tier.yaml",
    "multi_port": "multi-port-service.yaml",
    "headless": "headless-service.yaml",
}

ALL_EXAMPLES = tuple(sorted(p.stem for p in EXAMPLES.glob("*.py")))
"""Every example, found by listing ``examples/``; ``scale`` is built with
``SHOP_COPIES=2`` (see :data:`EXAMPLE_ENV`)."""

EXAMPLE_ENV = {"scale": {"SHOP_COPIES": "2"}}


def run_tiers(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a separate process, with this checkout's
    ``tiers`` whatever the working directory; with ``TIERS_UNDER_TEST`` set to
    a Python interpreter, the ``tiers`` installed for it instead (a clean
    ``pip install .`` into a virtual environment, say)."""
    environ = dict(os.environ if env is None else env)
    python = os.environ.get("TIERS_UNDER_TEST") or sys.executable
    if python == sys.executable:
        paths = [str(ROOT), *filter(None, [environ.get("PYTHONPATH")])]
        environ["PYTHONPATH"] = os.pathsep.join(paths)
    return subprocess.run(
        [python, "-m", "tiers", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=environ,
        check=False,
    )


def build_docs(example: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The documents ``tiers build`` writes for ``examples/<example>.py``."""
    result = run_tiers("build", str(EXAMPLES / f"{example}.py"), env=env)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d is not None]


@dataclass(frozen=True)
class Built:
    """One example as ``tiers build`` wrote it: the text and its documents."""

    example: str
    text: str
    docs: list[dict[str, Any]]


def example_env(example: str) -> dict[str, str]:
    """The environment an example is built with."""
    return {**os.environ, **EXAMPLE_ENV.get(example, {})}


@pytest.fixture(scope="session")
def built() -> dict[str, Built]:
    """Every example built once per session by the CLI, each in its own process
    (started together, so that they overlap)."""
    running = {
        example: subprocess.Popen(
            [sys.executable, "-m", "tiers", "build", f"examples/{example}.py"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=example_env(example),
        )
        for example in ALL_EXAMPLES
    }
    result: dict[str, Built] = {}
    for example, process in running.items():
        stdout, stderr = process.communicate()
        assert process.returncode == 0, f"{example}: {stderr}"
        docs = [d for d in yaml.safe_load_all(stdout) if d is not None]
        result[example] = Built(example, stdout, docs)
    return result


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    if not SEED.is_dir():
        pytest.fail(f"the seed manifests are missing: {SEED}")
    return SEED
