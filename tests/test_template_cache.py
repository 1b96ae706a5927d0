"""Compiled templates kept between runs: the same bytes with the cache cold,
warm or impossible to write, and an edited template never served stale."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from tests.conftest import run_tiers
from tiers.render.templates import _QuietCache, bytecode_cache


def _build(cache_home: Path) -> str:
    run = run_tiers(
        "build", "examples/multi_tier.py", env={**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_output_is_the_same_with_the_cache_cold_warm_or_unwritable(tmp_path: Path) -> None:
    cold = _build(tmp_path / "cache")
    entries = list((tmp_path / "cache" / "tiers").glob("templates-*/*.cache"))
    assert entries, "the first build saves the compiled templates"
    warm = _build(tmp_path / "cache")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    assert cold == warm == _build(blocked)
    assert cold.startswith("apiVersion: v1\nkind: Namespace")


def test_the_cache_lives_under_xdg_cache_home_or_the_home_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = bytecode_cache({"XDG_CACHE_HOME": str(tmp_path)})
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    assert Path(cache.directory).parent == tmp_path / "tiers"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for relative_or_unset in ({"XDG_CACHE_HOME": "cache"}, {}):
        cache = bytecode_cache(relative_or_unset)
        assert isinstance(cache, jinja2.FileSystemBytecodeCache)
        assert Path(cache.directory).parent == tmp_path / "home" / ".cache" / "tiers"
    assert bytecode_cache({"XDG_CACHE_HOME": str(tmp_path / "x" / "y")}) is not None
    (tmp_path / "file").write_text("")
    assert bytecode_cache({"XDG_CACHE_HOME": str(tmp_path / "file")}) is None


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    page = tmp_path / "t.j2"

    def render() -> str:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(tmp_path)),
            bytecode_cache=_QuietCache(str(tmp_path / "cache")),
        )
        return env.get_template("t.j2").render(x=1)

    page.write_text("one {{ x }}")
    assert render() == "one 1"
    assert render() == "one 1"
    page.write_text("two {{ x }}")
    assert render() == "two 1"
