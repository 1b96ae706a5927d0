"""Bad apps kept as data: ``tests/bad/<case>.py`` with the exact output of
``tiers validate`` beside it in ``tests/bad/<case>.expected``.

The cases run through the real command line, in this process (click's runner)
for speed, and a few in a separate process as a user would run them. To
regenerate the expected files after a deliberate change of wording, run
``TIERS_UPDATE_BAD=1 python -m pytest tests/test_bad.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, run_tiers
from tiers.cli import main

BAD = ROOT / "tests" / "bad"
CASES = sorted(BAD.glob("*.py"))
UPDATE = os.environ.get("TIERS_UPDATE_BAD") == "1"


def _relative(case: Path) -> str:
    return case.relative_to(ROOT).as_posix()


def _expected_code(text: str) -> int:
    failed = ": error: " in text or text.startswith("error: ")
    return 1 if failed else 0


def _validate_in_process(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate", _relative(case)], catch_exceptions=False)
    return result.stdout + result.stderr, result.exit_code


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    missing = [c.name for c in CASES if not c.with_suffix(".expected").is_file() and not UPDATE]
    assert not missing


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_app(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output, code = _validate_in_process(case, monkeypatch)
    expected_file = case.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text(output, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert output == expected
    assert code == _expected_code(expected)
    assert "Traceback (most recent call last)" not in output


@pytest.mark.parametrize("name", ["several_errors", "user_code_raises", "image_unpinned"])
def test_bad_app_in_a_separate_process(name: str) -> None:
    case = BAD / f"{name}.py"
    result = run_tiers("validate", _relative(case))
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")
    assert result.stdout + result.stderr == expected
    assert result.returncode == _expected_code(expected)
