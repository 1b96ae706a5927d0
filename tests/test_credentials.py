"""Where credentials hide (``tiers.checks.credentials``), on cases kept as
data in ``tests/data/credentials.yaml``."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tiers.checks.credentials import (
    entropy,
    find_credential,
    find_in_args,
    looks_like_credential,
    words,
)

DATA: dict[str, Any] = yaml.safe_load(
    (ROOT / "tests" / "data" / "credentials.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", DATA["credential"])
def test_a_name_that_names_a_credential(name: str) -> None:
    assert looks_like_credential(name)


@pytest.mark.parametrize("name", DATA["not_credential"])
def test_a_name_that_only_points_at_one_or_none(name: str) -> None:
    assert not looks_like_credential(name)


@pytest.mark.parametrize("value", list(DATA["found"]), ids=range(len(DATA["found"])))
def test_a_credential_inside_a_value_is_found_and_masked(value: str) -> None:
    found = find_credential(value)
    assert found is not None
    assert found.masked == DATA["found"][value]
    assert found.what and found.start < found.end <= len(value)


@pytest.mark.parametrize("value", DATA["not_found"], ids=range(len(DATA["not_found"])))
def test_a_value_without_a_literal_credential(value: str) -> None:
    assert find_credential(value) is None


@pytest.mark.parametrize("case", DATA["args"], ids=range(len(DATA["args"])))
def test_credentials_in_a_command_line(case: dict[str, Any]) -> None:
    found = find_in_args(case["args"])
    if case["index"] is None:
        assert found is None
    else:
        assert found is not None
        assert found[0] == case["index"] and found[1].masked == case["masked"]


def test_words_split_camel_case_and_separators() -> None:
    assert words("dbPassword") == ["DB", "PASSWORD"]
    assert words("SSHPrivKey") == ["SSH", "PRIV", "KEY"]
    assert words("x-api.key_2") == ["X", "API", "KEY"]


def test_entropy_tells_random_from_repeated() -> None:
    assert entropy("aaaaaaaa") == 0.0
    assert entropy("aB3dE5gH7jK9mN1p") > 3.5


def test_the_doctests_run() -> None:
    import doctest

    import tiers.checks.credentials

    failures, tried = doctest.testmod(tiers.checks.credentials)
    assert failures == 0 and tried >= 3
