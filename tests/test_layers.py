"""The package layers, checked by import-linter as CI runs it, and shown able to
fail: a copy of the package with one wrong import breaks the contract it should."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the package in ``root``, with the project's contracts."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"lint-imports is missing: install the test extras ({LINT_IMPORTS})")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def broken_copy(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of ``tiers/`` in which ``module`` (a path inside it) gains ``line``."""
    shutil.copytree(
        ROOT / "tiers", tmp_path / "tiers", ignore=shutil.ignore_patterns("__pycache__")
    )
    path = tmp_path / "tiers" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return tmp_path


def test_the_package_keeps_every_contract() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("ir/pods.py", "import jinja2", "The IR is plain data"),
        ("ir/base.py", "from tiers.ir import app", "No import cycles"),
        ("model/app.py", "from tiers.cli import main", "The stages are layers"),
        ("render/objects.py", "from tiers.resolve import core", "The stages are layers"),
        ("checks/names.py", "from tiers.output import emit", "The stages are layers"),
        ("model/refs.py", "from tiers.model import app", "No import cycles"),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    result = lint(broken_copy(tmp_path, module, line))
    assert result.returncode != 0, result.stdout
    text = " ".join(result.stdout.split())  # import-linter wraps long contract names
    verdict = re.search(re.escape(contract) + r".{0,120}? (KEPT|BROKEN)\b", text)
    assert verdict is not None and verdict.group(1) == "BROKEN", result.stdout
