"""The same app gives the same bytes: on every run, under every
PYTHONHASHSEED, whatever order its tiers were added in, with or without libyaml."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import k8s
from tests.conftest import ALL_EXAMPLES, ROOT, Built, example_env
from tests.tricky import TRICKY_LABEL_KEYS, TRICKY_VALUES
from tiers import App, Backend, Frontend, MySQL, NotSecret, Tier, build_yaml, manifests
from tiers.loader import load_app
from tiers.yaml import dump
from tiers.yaml.pyyaml import LibyamlDumper, PureDumper
from tiers.yaml.scalars import flow

BUILD_ALL = """
import os, sys
from tiers import build_yaml
from tiers.loader import load_app
for example in sys.argv[1:]:
    os.environ["SHOP_COPIES"] = "2" if example == "scale" else "1"
    sys.stdout.write(f"=== {example}\\n" + build_yaml(load_app(f"examples/{example}.py")))
"""


def build_all_in_subprocess(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    run = subprocess.run(
        [sys.executable, "-c", BUILD_ALL, *ALL_EXAMPLES],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def expected_all(built: dict[str, Built]) -> str:
    return "".join(f"=== {e}\n{built[e].text}" for e in ALL_EXAMPLES)


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_two_builds_are_byte_identical(example: str, built: dict[str, Built]) -> None:
    os.environ.update(example_env(example))
    try:
        first = build_yaml(load_app(f"{ROOT}/examples/{example}.py"))
        second = build_yaml(load_app(f"{ROOT}/examples/{example}.py"))
    finally:
        os.environ.pop("SHOP_COPIES", None)
    assert first == second
    assert first == built[example].text  # the library and the CLI agree


@pytest.mark.parametrize("hash_seed", ["0", "2718281"])
def test_builds_do_not_depend_on_the_hash_seed(hash_seed: str, built: dict[str, Built]) -> None:
    assert build_all_in_subprocess(hash_seed) == expected_all(built)


def shop_tiers() -> list[Tier]:
    """Four tiers, three wired together and one on its own."""
    db = MySQL(
        "mysql", env={"MYSQL_DATABASE": "shop", "MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}
    )
    cache = Tier("cache", image="redis:7.4.1", ports=[6379])
    api = Backend(
        "backend", image="my-backend:1.4.2", env={"DB_HOST": db.host, "CACHE": cache.url("redis")}
    )
    web = Frontend("frontend", env={"API_URL": api.url(path="/api")})
    return [db, cache, api, web]


def test_tier_insertion_order_does_not_change_the_output() -> None:
    tiers = shop_tiers()
    outputs = set()
    for order in itertools.permutations(tiers):
        app = App("shop")
        for tier in order:
            app.add(tier)
        outputs.add(build_yaml(app))
    assert len(outputs) == 1
    names = [m["metadata"]["name"] for m in k8s.workloads(manifests(app))]
    assert names.index("mysql") < names.index("backend") < names.index("frontend")


def test_libyaml_is_there_to_compare_with() -> None:
    assert yaml.__with_libyaml__, "PyYAML was built without libyaml: nothing to compare"


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_pure_python_and_libyaml_write_the_same_bytes(
    example: str, built: dict[str, Built]
) -> None:
    for doc in built[example].docs:
        assert dump(doc, PureDumper) == dump(doc, LibyamlDumper)


def tricky_document() -> dict[str, Any]:
    return {
        "env": [{"name": f"V{i}", "value": v} for i, v in enumerate(TRICKY_VALUES)],
        "labels": {k: k for k in TRICKY_LABEL_KEYS},
        "keys": {v: v for v in TRICKY_VALUES},
        "long keys": {"k" * n: n for n in range(118, 135)},
        "wide keys": {"é" * n: n for n in range(60, 68)},
    }


def test_pure_python_and_libyaml_agree_on_tricky_strings() -> None:
    document = tricky_document()
    pure, fast = dump(document, PureDumper), dump(document, LibyamlDumper)
    assert pure == fast
    assert yaml.safe_load(fast) == document


def test_both_loaders_read_template_values_back() -> None:
    for value in TRICKY_VALUES:
        text = f"value: {flow(value)}\n"
        assert yaml.load(text, Loader=yaml.SafeLoader) == {"value": value}
        assert yaml.load(text, Loader=yaml.CSafeLoader) == {"value": value}


# Surrogates (category Cs) cannot be encoded in UTF-8, so no YAML file (and no
# Kubernetes object) can hold them; every other code point must survive.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TEXT, st.one_of(TEXT, st.lists(TEXT, max_size=3)), max_size=4))
def test_pure_python_and_libyaml_agree_on_any_text(document: dict[str, Any]) -> None:
    pure, fast = dump(document, PureDumper), dump(document, LibyamlDumper)
    assert pure == fast
    assert yaml.safe_load(fast) == (document or {})


@settings(max_examples=200, deadline=None)
@given(TEXT, st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=3))
def test_both_loaders_read_any_template_value_back(
    text: str, items: list[str], mapping: dict[str, str]
) -> None:
    template = f"text: {flow(text)}\nitems: {flow(items)}\nmapping: {flow(mapping)}\n"
    wanted = {"text": text, "items": items, "mapping": mapping}
    assert yaml.load(template, Loader=yaml.SafeLoader) == wanted
    assert yaml.load(template, Loader=yaml.CSafeLoader) == wanted
