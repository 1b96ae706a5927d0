"""The output's canonical form: the same layout for every document, so that
diffs in Git show only what changed."""

from __future__ import annotations

import itertools
import re

import pytest
import yaml

from tests.conftest import ALL_EXAMPLES, Built

TOP_LEVEL = ["apiVersion", "kind", "metadata", "spec"]


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_documents_start_with_apiversion_kind_metadata_spec(
    example: str, built: dict[str, Built]
) -> None:
    for doc in built[example].docs:
        keys = list(doc)
        assert keys[:3] == TOP_LEVEL[:3], keys
        if "spec" in keys:
            assert keys.index("spec") == 3, keys
        assert next(iter(doc["metadata"])) == "name"


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_layout_is_block_style_with_two_space_indents(
    example: str, built: dict[str, Built]
) -> None:
    text = built[example].text
    assert text.endswith("\n") and not text.startswith("---")
    chunks = text.split("---\n")
    assert len(chunks) == len(built[example].docs)
    for chunk in chunks:
        assert chunk.startswith("apiVersion: ")
        assert yaml.safe_load(chunk) in built[example].docs
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, line
        assert line == line.rstrip(), f"trailing whitespace: {line!r}"
        assert "\t" not in line, line


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_no_flow_collections_but_empty_ones(example: str, built: dict[str, Built]) -> None:
    events = list(yaml.parse(built[example].text, Loader=yaml.SafeLoader))
    for event, following in itertools.pairwise(events):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and (
            event.flow_style
        ):
            assert isinstance(following, (yaml.MappingEndEvent, yaml.SequenceEndEvent))


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_no_anchors_aliases_or_tags(example: str, built: dict[str, Built]) -> None:
    for token in yaml.scan(built[example].text, Loader=yaml.SafeLoader):
        assert not isinstance(token, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken))
    assert not re.search(r"^\s*\? ", built[example].text, re.MULTILINE)
