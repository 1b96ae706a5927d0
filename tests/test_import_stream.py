"""The fast path of ``tiers import``'s reader (``tiers.importer.stream``) reads
exactly what the PyYAML path reads, with the same lines, and reads nothing
the PyYAML path refuses (a duplicate key, an alias bomb, invalid YAML)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, run_tiers
from tiers.errors import ImportInputError
from tiers.importer import read, stream

REFUSED = "refused"

KEYS = st.sampled_from(["a", "b", "name", '"a"', '"b"', "yes", '"yes"', "1", '"1"', "a.b/c"])
VALUES = st.sampled_from(
    ["", "x", "1", '"a: b"', "{}", "[]", '{"a": 1}', '{"a": 1, "a": 2}', '["x", {"b": 2}]',
     "&x 1", "*x", "yes", "2024-01-01", "1.5", "- x", "x # c", "'q'", "|", '"\\u0061"']
)  # fmt: skip
INDENTS = st.sampled_from(["", "", "  ", "    ", "- ", "  - ", "- - "])
SPECIAL = st.sampled_from(["---", "--- x", "...", "# comment", "", "%YAML 1.1", "- x", "\tx: 1"])


@st.composite
def _line(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 5)) == 0:
        return draw(SPECIAL)
    value = draw(VALUES)
    return f"{draw(INDENTS)}{draw(KEYS)}:{' ' + value if value else ''}"


TEXTS = st.lists(_line(), max_size=12).map("\n".join)


def _slow(text: str) -> Any:
    try:
        return list(read._documents(text, "in.yaml"))
    except (yaml.YAMLError, ImportInputError):
        return REFUSED


def _fast(text: str) -> Any:
    """The fast path's documents and lines (without whether each holds a null)."""
    found = stream.documents(text)
    return None if found is None else [(line, document) for line, document, _ in found]


def _same(text: str) -> None:
    fast = _fast(text)
    assert fast is None or fast == _slow(text), text
    for _, document, clean in stream.documents(text) or []:
        assert clean == (not _holds_null(document)), text


def _holds_null(value: Any) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return any(v is None or _holds_null(v) for v in value)
    return False


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_the_fast_path_reads_what_pyyaml_reads_or_leaves_it(text: str) -> None:
    _same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a:\n  b: 1\n  b: 2\n",
        "- a: 1\n  a: 2\n",
        'a: {"b": 1, "b": 2}\n',
        '- {"b": 1, "b": 2}\n',
        '"a": 1\na: 2\n',
        'yes: 1\n"yes": 2\n',
        '1: 1\n"1": 2\n',
        "a: 1\n---\n",
        "---\n",
        "a: 1\n--- \nb: 2\n",
        "a: 1\n...\n",
        "a: &x 1\nb: *x\n",
        "a: |\n  ---\n",
    ],
)
def test_what_the_fast_path_leaves_to_pyyaml(text: str) -> None:
    assert stream.documents(text) is None
    _same(text)


def test_documents_keep_the_lines_of_their_first_content() -> None:
    text = "# header\n\napiVersion: v1\nkind: A\n---\n# note\n  \nkind: B\n---\n- 1\n"
    found = _fast(text)
    assert found == [(3, {"apiVersion": "v1", "kind": "A"}), (8, {"kind": "B"}), (10, [1])]
    assert found == _slow(text)
    assert _fast("# only a comment\n") == [] == _slow("# only a comment\n")


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}


def _corpus() -> list[Path]:
    return sorted((ROOT / "tests" / "data" / "import").rglob("*.yaml"))


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_the_corpus_reads_the_same_either_way(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


def test_tiers_output_takes_the_fast_path(tmp_path: Path) -> None:
    """What the import benchmark reads (a file per tier of ``examples/scale.py``)."""
    out = str(tmp_path / "out")
    scale = str(ROOT / "examples" / "scale.py")
    done = run_tiers("build", scale, "-o", out, "--layout", "tier", env=_env({"SHOP_COPIES": "2"}))
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "out").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = _fast(text)
        assert found is not None and found == _slow(text), path


def test_a_document_that_could_hold_too_many_values_is_left_to_pyyaml() -> None:
    """Without aliases a document holds at most a value per character and one
    more, so only one of MAX_VALUES / 2 characters or more could break the limit."""
    from tiers.importer.bounds import MAX_VALUES

    values = MAX_VALUES // 4
    long = "a: [" + ",".join(["1"] * values) + "]\n"
    assert len(long) >= MAX_VALUES // 2
    assert stream.documents(long) is None
    short = "a: [" + ",".join(["1"] * (values // 2)) + "]\n"
    assert _fast(short) == [(1, {"a": [1] * (values // 2)})]


def test_a_document_nested_deeper_than_the_reader_goes_is_left_to_pyyaml() -> None:
    block = "".join("  " * i + "a:\n" for i in range(400)) + "  " * 400 + "b: 1\n"
    flow = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    for text in (block, flow):
        assert stream.documents(text) is None
    assert len(read.parse(block, "in.yaml")) == 1
    with pytest.raises(ImportInputError, match=r"in\.yaml:1: not valid YAML"):
        read.parse(flow, "in.yaml")
