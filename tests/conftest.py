"""Shared helpers: build the examples, through the library and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = next(
    (
        d / "shared" / "seed" / "manifests"
        for d in (ROOT.parent, ROOT.parent.parent)
        if (d / "shared" / "seed" / "manifests").is_dir()
    ),
    ROOT.parent / "shared" / "seed" / "manifests",
)
"""The seed's manifests, beside the repository (or beside its worktrees' directory)."""

SEED_EXAMPLES = {
    "web_app": "web-app.yaml",
    "multi_tier": "multi-tier.yaml",
    "multi_port": "multi-port-service.yaml",
    "headless": "headless-service.yaml",
}


def run_tiers(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "tiers", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        check=False,
    )


def build_docs(example: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The documents ``tiers build`` writes for ``examples/<example>.py``."""
    result = run_tiers("build", str(EXAMPLES / f"{example}.py"), env=env)
    assert result.returncode == 0, result.stderr
    return [d for d in yaml.safe_load_all(result.stdout) if d is not None]


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    if not SEED.is_dir():
        pytest.fail(f"the seed manifests are missing: {SEED}")
    return SEED
