"""ARCHITECTURE.md matches the tree: every file it names exists, every top-level
place of ``tiers/`` has its row in the table, its levels are the layers of the
import-linter contract in ``pyproject.toml``, and the lists its recipes name are
where it says."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
PATH = re.compile(r"`((?:tiers|templates|tests|docs|scripts|benchmarks)/[\w./<>-]*)`")


def named_paths() -> list[str]:
    """The repository paths ARCHITECTURE.md names, without the placeholders."""
    return sorted({p for p in PATH.findall(TEXT) if "<" not in p})


def table_rows() -> list[str]:
    """The first cell of each row of the package table."""
    return [line.split("|")[1] for line in TEXT.splitlines() if line.startswith("| `")]


def top_level_places() -> list[str]:
    """``tiers/``'s packages (``model/``) and modules (``cli.py``), as the table writes them."""
    places = []
    for path in sorted((ROOT / "tiers").iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            places.append(f"{path.name}/")
        elif path.suffix == ".py" and path.stem not in {"__init__", "__main__"}:
            places.append(path.name)
    return places


def contract_layers() -> list[str]:
    """The layers contract of pyproject.toml, below ``__main__``, spaces removed
    (read with a pattern: ``tomllib`` is not in Python 3.10)."""
    (block,) = re.findall(r'^type = "layers"\n.*?^layers = \[(.*?)^\]', PYPROJECT, re.M | re.S)
    layers = re.findall(r'"([^"]+)"', block)
    return [layer.replace(" ", "") for layer in layers if layer != "__main__"]


def documented_levels() -> list[str]:
    """The diagram's ``levels (top→bottom):`` line, in order."""
    start = TEXT.index("levels (top→bottom):") + len("levels (top→bottom):")
    block = TEXT[start : TEXT.index("```", start)]
    return [level.strip() for level in " ".join(block.split()).split("·")]


@pytest.mark.parametrize("path", named_paths())
def test_every_named_file_exists(path: str) -> None:
    if path == "tiers/templates":  # not in a checkout: the wheel puts templates/ there
        assert '"templates" = "tiers/templates"' in PYPROJECT
        return
    assert (ROOT / path).exists(), f"ARCHITECTURE.md names {path}, which does not exist"


def test_paths_were_found() -> None:
    assert len(named_paths()) > 20, named_paths()


@pytest.mark.parametrize("place", top_level_places())
def test_every_top_level_place_has_its_row(place: str) -> None:
    assert any(f"`{place}`" in row for row in table_rows()), f"no table row for {place}"


def test_the_levels_are_the_contracts_layers() -> None:
    assert documented_levels() == contract_layers()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("RESOLVERS", "tiers/resolve/extras.py"),
        ("CHECKS", "tiers/checks/__init__.py"),
        ("WIRED_CHECKS", "tiers/checks/__init__.py"),
        ("KIND_RULES", "tiers/importer/plan.py"),
        ("TIER_FIELDS", "tiers/importer/plan.py"),
        ("_HOMES", "tiers/__init__.py"),
    ],
)
def test_a_recipes_list_is_where_it_says(name: str, path: str) -> None:
    assert f"`{name}`" in TEXT and f"`{path}`" in TEXT
    assert re.search(rf"^{name}\b.*=", (ROOT / path).read_text(encoding="utf-8"), re.M), (
        f"{path} defines no {name}"
    )
