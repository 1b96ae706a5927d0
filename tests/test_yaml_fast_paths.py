"""The fast YAML reader and writer mean exactly what PyYAML means.

``tiers.yaml.emit`` must write the same bytes as the PyYAML dumper of
``tiers.yaml.pyyaml`` whenever it writes anything, and ``tiers.yaml.read`` must read
the same value as PyYAML's safe loader whenever it reads anything (and never
read a value where PyYAML refuses the text).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ALL_EXAMPLES, EXAMPLE_ENV, ROOT, Built
from tiers.compiler import build_yaml
from tiers.loader import load_app
from tiers.render import templates
from tiers.yaml import SLOT, dump, load, load_slotted
from tiers.yaml import emit as yamlemit
from tiers.yaml import pyyaml as yamlref
from tiers.yaml import read as yamlread
from tiers.yaml.scalars import flow

ALPHABET = st.sampled_from(list("abcXYZ019 -_.:/#'\"\\,[]{}&*!|>%@`?=<~\n\t\x85é\u2028😀"))
WORDS = st.sampled_from(["yes", "No", "null", "~", "0123", "1.5", "12:30", "-", "=", "<<", ""])
STRINGS = st.one_of(st.text(ALPHABET, max_size=12), WORDS, st.from_regex(r"[a-z][a-z0-9-]{0,8}"))
SCALARS = st.one_of(STRINGS, st.integers(-(10**20), 10**20), st.booleans(), st.none())
DOCUMENTS = st.dictionaries(
    STRINGS,
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(STRINGS, inner, max_size=3),
        max_leaves=12,
    ),
    min_size=1,
    max_size=5,
)


def _stable_documents() -> list[dict[str, Any]]:
    found = []
    for path in sorted((ROOT / "tests" / "stable").glob("*.yaml")):
        found += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return found


@settings(max_examples=200, deadline=None)
@given(DOCUMENTS)
def test_the_writer_writes_what_pyyaml_writes(document: dict[str, Any]) -> None:
    written = yamlemit.dump(document)
    assert written is None or written == yamlref.dump(document)
    assert dump(document) == yamlref.dump(document)


def test_the_writer_covers_every_manifest() -> None:
    for document in _stable_documents():
        assert yamlemit.dump(document) == yamlref.dump(document)


def test_the_writer_leaves_the_rest_to_pyyaml() -> None:
    shared = {"a": 1}
    odd = ({"a": [[1]]}, {"a": 1.5}, {"k" * 130: 1}, {"a": "x\ny"}, {"a": shared, "b": shared})
    for document in odd:
        assert yamlemit.dump(document) is None
        assert dump(document) == yamlref.dump(document)


def _block(
    value: Any, indent: str, quoted: bool = False, write: Callable[[Any], str] = flow
) -> list[str]:
    """``value`` written the way templates write it: block structure, flow leaves
    (each by ``write``); keys written as ``{{ key }}:`` when ``quoted``."""
    if isinstance(value, dict) and value:
        lines = []
        for key, item in value.items():
            written = write(key) if quoted else key
            if isinstance(item, (dict, list)) and item:
                lines += [f"{indent}{written}:", *_block(item, indent + "  ", quoted, write)]
            else:
                lines.append(f"{indent}{written}: {write(item)}")
        return lines
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            nested = isinstance(item, (dict, list)) and item
            inner = _block(item, indent + "  ", quoted, write) if nested else []
            first = inner[0].lstrip(" ") if inner else str(write(item))
            lines += [f"{indent}- {first}", *inner[1:]]
        return lines
    return [f"{indent}{write(value)}"]


KEYS = st.from_regex(r"[a-zA-Z][a-zA-Z0-9.]{0,6}", fullmatch=True)
TEMPLATED = st.dictionaries(
    KEYS,
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
        max_leaves=10,
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(TEMPLATED)
def test_the_reader_reads_what_pyyaml_reads(document: dict[str, Any]) -> None:
    text = "\n".join(_block(document, "")) + "\n"
    expected = yamlref.load(text)
    if any(c in text for c in "\t\x85\u2028"):  # read differently by JSON: left to PyYAML
        with pytest.raises(yamlread.Unsupported):
            yamlread.load(text)
    else:
        assert yamlread.load(text) == expected
    assert load(text) == expected


ODD_TEXTS = [
    "a: 1\n# comment\nb: [1, 2]\n",
    "a:\n- 1\n- x\nb: 2\n",
    "a:\n  - b: 1\n    c: 2\n  - d\n",
    "a: - b\n",
    "a: b: c\n",
    "a: x\n  y\n",
    "- a\n  b\n",
    "a: |\n  text\n",
    "a: &x 1\nb: *x\n",
    "a: 1.5\nb: 1e5\nc: 2001-12-14\n",
    'a: "\\ud83d\\ude00"\n',
    'a: "x\x85y"\n',
    "a:\tb\n",
    "a: 'it''s'\n",
    "a: x # comment\nb: yes\nc: ~\nd: 0o17\ne: 017\n",
    "a: # nothing\n  b: 1\n",
    "a:\n  - x\n  b: y\n",
    "a: {b: c}\n",
    'a: {"b": 1, "b": 2}\n',
    "on: off\n0: 1\n",
    "---\na: 1\n",
    "a: 1\nb:\n",
    "a:\n b: 1\n  c: 2\n",
    '"a\\"b": 1\n',
    '"a b": 1\n"c: d":\n  "": 2\n',
    '"yes": 1\n"1": 2\n',
    '"a" : 1\n',
]


QUOTED_KEYS = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(QUOTED_KEYS, st.dictionaries(QUOTED_KEYS, SCALARS, max_size=3), min_size=1))
def test_the_reader_reads_quoted_keys_as_pyyaml(document: dict[str, Any]) -> None:
    text = "\n".join(_block(document, "", quoted=True)) + "\n"
    expected = yamlref.load(text)
    if not any(c in k for k in _keys(document) for c in '"\\'):
        assert yamlread.load(text) == expected
    assert load(text) == expected


def _keys(document: dict[str, Any]) -> list[str]:
    return [k for key, inner in document.items() for k in (key, *inner)]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_the_reader_reads_odd_text_as_pyyaml_or_not_at_all(text: str) -> None:
    try:
        expected = yamlref.load(text)
    except yaml.YAMLError:
        with pytest.raises(yamlread.Unsupported):
            yamlread.load(text)
        return
    with contextlib.suppress(yamlread.Unsupported):
        assert yamlread.load(text) == expected
    assert load(text) == expected


VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.one_of(STRINGS, st.integers(-9, 9), st.none()), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_a_value_reads_back_as_its_flow_node_reads(value: Any) -> None:
    assert yamlread.read_back(value) == yamlref.load(f"k: {flow(value)}\n")["k"]


def _slots() -> tuple[list[Any], Callable[[Any], str]]:
    values: list[Any] = []

    def write(value: Any) -> str:
        values.append(value)
        return SLOT

    return values, write


@settings(max_examples=300, deadline=None)
@given(TEMPLATED, st.booleans())
def test_a_template_with_its_values_apart_reads_as_with_them_written_in(
    document: dict[str, Any], quoted: bool
) -> None:
    written = "\n".join(_block(document, "", quoted)) + "\n"
    values, write = _slots()
    slotted = "\n".join(_block(document, "", quoted, write)) + "\n"
    assert values
    assert load_slotted(slotted, values) == yamlref.load(written)


def test_slots_that_do_not_pair_with_whole_values_are_not_read() -> None:
    for text, values in (
        (f"a: {SLOT}\n", []),  # more slots than values
        (f"a: {SLOT}\n", [1, 2]),  # more values than slots
        (f"a: x{SLOT}\n", [1]),  # inside a word
        (f"a: [{SLOT}]\n", [1]),  # inside a flow node
        (f"{SLOT}: 1\n", [["a"]]),  # a key that is a collection
        (f"a: {SLOT}\n", [1.5]),  # a value templates are not given
        (f"a: {SLOT}\n", [object()]),
    ):
        assert load_slotted(text, values) is None, text
    assert load_slotted(f"{SLOT}: {SLOT}\n- x\n", ["a", 1]) is None  # not YAML


def test_no_template_writes_the_slot_itself() -> None:
    for path in (ROOT / "templates").rglob("*.j2"):
        assert SLOT not in path.read_text(encoding="utf-8"), path


def test_every_example_is_read_from_slots_alone(
    built: dict[str, Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stock templates never need their values written in: each example's
    objects come from the slotted reading, the same YAML as the build's."""

    def written_in(name: str) -> None:
        raise AssertionError(f"{name} was read with its values written in")

    monkeypatch.setattr(templates, "_template", written_in)
    for example in ALL_EXAMPLES:
        with monkeypatch.context() as scoped:
            for key, value in EXAMPLE_ENV.get(example, {}).items():
                scoped.setenv(key, value)
            app = load_app(str(ROOT / "examples" / f"{example}.py"))
        assert build_yaml(app) == built[example].text, example
