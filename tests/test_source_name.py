"""The header of every file names the APP in one spelling: another spelling
of the same path rewrites nothing; another app does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tiers.cli import main
from tiers.loader import source_name


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("./examples/web_app.py", "examples/web_app.py"),
        ("examples//web_app.py", "examples/web_app.py"),
        ("examples/../examples/web_app.py:app", "examples/web_app.py:app"),
        ("examples.web_app:app", "examples.web_app:app"),
    ],
)
def test_a_path_is_named_in_its_normal_form(ref: str, name: str) -> None:
    assert source_name(ref) == name


def _build(ref: str, out: Path) -> str:
    result = CliRunner().invoke(main, ["build", ref, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_another_spelling_of_app_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "deploy"
    assert "(0 unchanged)" in _build("examples/web_app.py", out)
    assert "wrote 0 file(s)" in _build("./examples/web_app.py", out)
    assert "wrote 0 file(s)" in _build("examples//web_app.py", out)
    other = tmp_path / "web_app.py"
    shutil.copy(ROOT / "examples" / "web_app.py", other)
    assert "wrote 0 file(s)" not in _build(str(other), out)  # another file: new headers
