"""The Kubernetes name rules, against examples from apimachinery's own tests."""

from __future__ import annotations

import pytest

from tiers.checks import rules
from tiers.checks.images import image_tag


@pytest.mark.parametrize(
    ("rule", "good", "bad"),
    [
        (
            rules.dns1123_label,
            ["a", "ab", "a-b", "0", "1-2", "a" * 63],
            ["", "A", "a_b", "-a", "a-", "a.b", "a" * 64],
        ),
        (
            rules.dns1035_label,
            ["a", "a-b", "abc1", "a" * 63],
            ["", "1a", "A", "a_b", "a-", "a.b", "a" * 64],
        ),
        (
            rules.dns1123_subdomain,
            ["a", "a.b", "a-b.c-d", "0.1", "a" * 253],
            ["", "A", "a..b", ".a", "a.", "a_b", "a" * 254],
        ),
        (
            rules.label_key,
            ["a", "A", "a_b", "a.b", "example.com/a", "a/" + "b" * 63],
            ["", "a b", "_a", "Example.com/a", "/a", "a/", "a/" + "b" * 64, "a/b/c"],
        ),
        (
            rules.label_value,
            ["", "a", "A-b_c.d", "1", "a" * 63],
            ["a b", "-a", "a-", "a/b", "a" * 64],
        ),
        (
            rules.port_name,
            ["http", "h2", "a-b", "x" * 15],
            ["", "80", "HTTP", "a--b", "-a", "a-", "a_b", "x" * 16],
        ),
        (rules.env_name, ["A", "_a", "DB_HOST", "a1"], ["", "1A", "A-B", "A.B", "A B", "Ä"]),
    ],
)
def test_rule(rule: rules.Rule, good: list[str], bad: list[str]) -> None:
    assert [v for v in good if rule(v) is not None] == []
    assert [v for v in bad if rule(v) is None] == []


def test_suggested_names_are_valid() -> None:
    for value in ["My App", "a_b__c", "--x--", "9lives", "ÄÖÜ", "x" * 80]:
        assert rules.dns1123_label(rules.suggest_name(value)) is None
        assert rules.dns1035_label(rules.suggest_name(value, letter_first=True)) is None


@pytest.mark.parametrize(
    ("image", "tag"),
    [
        ("nginx", None),
        ("nginx:1.27", "1.27"),
        ("registry:5000/team/app", None),
        ("registry:5000/team/app:latest", "latest"),
        ("app@sha256:abc", None),
        ("app:1.0@sha256:abc", "1.0"),
    ],
)
def test_image_tag(image: str, tag: str | None) -> None:
    assert image_tag(image) == tag
