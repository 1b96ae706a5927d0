"""The README's GitOps examples run as written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import yaml

import tiers.model.environments
from tests.conftest import ROOT, run_tiers


def python_block(containing: str) -> str:
    blocks = re.findall(
        r"```python\n(.*?)```", (ROOT / "docs" / "gitops.md").read_text(), re.DOTALL
    )
    return next(b for b in blocks if containing in b)


def test_the_readme_environments_example_builds_each_environment(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(python_block("@environments"))
    for env, replicas, image in (("dev", 1, "1.5.0-rc.2"), ("prod", 3, "1.4.2")):
        result = run_tiers("build", str(app), "--env", env)
        assert result.returncode == 0, result.stderr
        docs = {
            (d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(result.stdout) if d
        }
        backend = docs[("Deployment", "backend")]
        assert backend["metadata"]["namespace"] == f"shop-{env}"
        assert backend["spec"]["replicas"] == replicas
        container = backend["spec"]["template"]["spec"]["containers"][0]
        assert container["image"] == f"my-backend:{image}"
    result = run_tiers("build", str(app), "--env", "qa")
    assert result.returncode == 2
    assert "unknown environment 'qa' (environments: dev, staging, prod)" in result.stderr


def test_the_environments_docstring_example() -> None:
    failures, tried = doctest.testmod(tiers.model.environments)
    assert tried > 0 and failures == 0
