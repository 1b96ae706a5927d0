"""The limits of ``tiers import`` (``tiers.importer.bounds``): alias bombs,
too many aliases, duplicate keys and oversized input are refused with the
file and line, before anything is expanded."""

from __future__ import annotations

import io
import itertools

import pytest
import yaml

from tiers.errors import ImportInputError
from tiers.importer import bounds
from tiers.importer.bounds import Budget, read_bounded


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level lists the previous one nine times."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghijklmnop"
    for previous, name in itertools.pairwise(names[:levels]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def check(text: str, file: str = "in.yaml") -> None:
    budget = Budget(file)
    for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
        budget.check(node)


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    text = billion_laughs()
    assert len(text) < 1024
    with pytest.raises(ImportInputError, match=r"in.yaml:\d+: not imported: its aliases expand"):
        check(text)


def test_a_few_levels_of_aliases_are_fine() -> None:
    check(billion_laughs(levels=4))  # 9**4 = 6,561 values


def test_more_than_the_aliases_allowed_are_refused() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (bounds.MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(ImportInputError, match=f"more than {bounds.MAX_ALIASES} aliases"):
        check(text)
    check("a: &a x\nb: [" + ", ".join(["*a"] * bounds.MAX_ALIASES) + "]\n")


def test_a_duplicate_key_names_both_lines() -> None:
    text = "spec:\n  replicas: 1\n  selector: {}\n  replicas: 5\n"
    with pytest.raises(ImportInputError) as raised:
        check(text, "dup.yaml")
    assert str(raised.value) == (
        "dup.yaml:4: the key 'replicas' is already set on line 2 of this mapping; "
        "YAML allows each key once: keep the one you mean"
    )


def test_the_same_key_in_different_mappings_is_fine() -> None:
    check("a: {name: x}\nb: {name: y}\n---\na: 1\n")


def test_a_merge_key_may_repeat() -> None:
    check("x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: *x\n  <<: *y\n")


def test_input_larger_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds, "MAX_BYTES", 100)
    assert read_bounded(io.StringIO("a" * 100), "x.yaml") == "a" * 100
    with pytest.raises(ImportInputError, match=r"x.yaml: larger than 0 MiB"):
        read_bounded(io.StringIO("a" * 101), "x.yaml")
    with pytest.raises(ImportInputError):
        read_bounded(io.StringIO("é" * 51), "x.yaml")  # 102 bytes in UTF-8
