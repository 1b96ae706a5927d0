"""Every string an app holds comes out of ``tiers build`` as exactly that
string: never a bool, a number or null, never broken YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import k8s
from tests.conftest import run_tiers
from tests.tricky import TRICKY_LABEL_KEYS, TRICKY_LABEL_VALUES, TRICKY_VALUES
from tiers import App, Port, Tier, build_yaml

# A process's environment is a list of NUL-terminated strings, so an env value
# cannot hold NUL; annotations (plain JSON strings) can, and are tested with it.
ENV_VALUES = tuple(v for v in TRICKY_VALUES if "\x00" not in v)
ENV = {f"V{i:03d}": v for i, v in enumerate(ENV_VALUES)}
LABELS = {
    **{f"example.com/v{i:02d}": v for i, v in enumerate(TRICKY_LABEL_VALUES)},
    **{k: "x" for k in TRICKY_LABEL_KEYS},
}
ANNOTATIONS = {f"example.com/a{i:03d}": v for i, v in enumerate(TRICKY_VALUES)}

APP_SOURCE = f"""
from tiers import App, Tier

app = App("tricky")
app.add(
    Tier(
        "tricky",
        image="busybox:1.36.1",
        ports=[8080],
        env={ENV!r},
        labels={LABELS!r},
        annotations={ANNOTATIONS!r},
    )
)
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``tiers build`` of an app holding every tricky string, run once."""
    app = tmp_path_factory.mktemp("tricky") / "tricky.py"
    app.write_text(APP_SOURCE, encoding="utf-8")
    run = run_tiers("build", str(app))
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture(scope="module", params=["libyaml", "pure"])
def docs(request: pytest.FixtureRequest, output: str) -> list[k8s.Doc]:
    """The output parsed by libyaml and by PyYAML's pure-Python reader."""
    loader = yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader
    return [d for d in yaml.load_all(output, Loader=loader) if d is not None]


def assert_all_str(found: dict[Any, Any], wanted: dict[str, str]) -> None:
    for key, value in wanted.items():
        assert key in found, f"{key!r} is missing (keys: {list(found)[:5]}...)"
        assert type(found[key]) is str, f"{key!r}: {found[key]!r} is not a str"
        assert found[key] == value, f"{key!r}"


def test_env_values_round_trip(docs: list[k8s.Doc]) -> None:
    (workload,) = k8s.workloads(docs)
    env = {e["name"]: e["value"] for e in k8s.containers(workload)[0]["env"]}
    assert_all_str(env, ENV)
    assert list(env) == list(ENV)


def tier_objects(docs: list[k8s.Doc]) -> list[k8s.Doc]:
    """The tier's workload and Services, which carry its labels and annotations."""
    found = k8s.workloads(docs) + k8s.services(docs)
    assert len(found) >= 2
    return found


def test_labels_round_trip(docs: list[k8s.Doc]) -> None:
    for doc in tier_objects(docs):
        assert all(type(k) is str for k in doc["metadata"]["labels"])
        assert_all_str(doc["metadata"]["labels"], LABELS)


def test_annotations_round_trip(docs: list[k8s.Doc]) -> None:
    for doc in tier_objects(docs):
        assert_all_str(doc["metadata"]["annotations"], ANNOTATIONS)


def test_the_tricky_app_is_valid_kubernetes(docs: list[k8s.Doc]) -> None:
    for doc in docs:
        kubernetes_validate.validate(doc, "1.30", strict=True)


def test_command_and_args_round_trip() -> None:
    app = App("cmd")
    app.add(
        Tier(
            "job",
            image="busybox:1.36.1",
            service="None",
            command=list(ENV_VALUES[:50]),
            args=list(ENV_VALUES[50:]),
        )
    )
    (doc,) = [d for d in yaml.safe_load_all(build_yaml(app)) if d and d["kind"] == "Deployment"]
    (container,) = k8s.containers(doc)
    assert container["command"] == list(ENV_VALUES[:50])
    assert container["args"] == list(ENV_VALUES[50:])
    assert all(type(v) is str for v in container["command"] + container["args"])


def test_names_that_look_like_other_types_stay_strings() -> None:
    app = App("on", namespace="yes")
    app.add(
        Tier(
            "null",
            image="busybox:1.36.1",
            ports=[Port(80, "no")],
            service_name="off",
            selector={"y": "n"},
        )
    )
    docs = [d for d in yaml.safe_load_all(build_yaml(app)) if d]
    (workload,), (service,) = k8s.workloads(docs), k8s.services(docs)
    for doc in (workload, service):
        assert doc["metadata"]["namespace"] == "yes"
        assert doc["metadata"]["labels"]["app.kubernetes.io/instance"] == "on"
    assert workload["metadata"]["name"] == "null"
    assert workload["spec"]["selector"]["matchLabels"] == {"y": "n"}
    assert service["metadata"]["name"] == "off"
    assert service["spec"]["ports"][0]["name"] == "no"


def one_tier_app(
    env: dict[str, str] | None = None, annotations: dict[str, str] | None = None
) -> App:
    app = App("prop")
    tier = Tier(
        "prop", image="busybox:1.36.1", ports=[8080], env=env or {}, annotations=annotations or {}
    )
    app.add(tier)
    return app


# Surrogates (category Cs) cannot be encoded in UTF-8, so neither a YAML file
# nor a Kubernetes object (JSON) can carry them; NUL cannot be in a process's
# environment. Every other code point must come back unchanged.
ENV_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=150, deadline=None)
@given(st.lists(ENV_TEXT, min_size=1, max_size=4))
def test_any_env_value_round_trips(values: list[str]) -> None:
    env = {f"V{i}": v for i, v in enumerate(values)}
    docs = [d for d in yaml.safe_load_all(build_yaml(one_tier_app(env=env))) if d]
    (workload,) = k8s.workloads(docs)
    found = {e["name"]: e["value"] for e in k8s.containers(workload)[0]["env"]}
    assert_all_str(found, env)


@settings(max_examples=100, deadline=None)
@given(st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_any_annotation_value_round_trips(values: list[str]) -> None:
    annotations = {f"example.com/a{i}": v for i, v in enumerate(values)}
    docs = [d for d in yaml.safe_load_all(build_yaml(one_tier_app(annotations=annotations))) if d]
    for doc in tier_objects(docs):
        assert_all_str(doc["metadata"]["annotations"], annotations)


def test_the_app_source_holds_every_tricky_value() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(APP_SOURCE, "tricky.py", "exec"), namespace)
    (tier,) = namespace["app"].tiers
    assert tier.env == ENV and tier.annotations == ANNOTATIONS
    assert Path(__file__).name == "test_yaml_safety.py"
