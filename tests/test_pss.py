"""The Pod Security Standard evaluator, on cases kept as data
(``tests/data/pss_cases.yaml``), and the pods of every example."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, Built
from tiers.checks.pss import LEVELS, most_privileged, pod_specs, pss_level
from tiers.render.patches import merge

DATA = yaml.safe_load((ROOT / "tests" / "data" / "pss_cases.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_level_and_reasons(case: dict[str, Any]) -> None:
    spec = merge(DATA["base"], case["patch"])
    level, reasons = pss_level(spec, case.get("annotations"))
    assert level == case["level"]
    assert [r.field for r in reasons] == case["fields"]
    assert all(r.message for r in reasons)


def test_the_cases_cover_every_level() -> None:
    assert {c["level"] for c in CASES} == set(LEVELS)


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet", "Job", "Pod"])
def test_pod_specs_finds_the_pod_of_each_kind(kind: str) -> None:
    pod: dict[str, Any] = {"metadata": {"annotations": {"a": "b"}}, "spec": {"containers": []}}
    manifest = {"kind": kind, **pod} if kind == "Pod" else {"kind": kind, "spec": {"template": pod}}
    ((prefix, annotations, spec),) = pod_specs(manifest)
    assert prefix == ("" if kind == "Pod" else "spec.template.")
    assert annotations == {"a": "b"} and spec == {"containers": []}


def test_pod_specs_finds_a_cronjobs_pod_and_none_in_a_service() -> None:
    pod: dict[str, Any] = {"spec": {"containers": []}}
    cron = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": pod}}}}
    assert [p for p, _, _ in pod_specs(cron)] == ["spec.jobTemplate.spec.template."]
    assert list(pod_specs({"kind": "Service", "spec": {"template": pod}})) == []


def test_the_most_privileged_level_admits_all() -> None:
    assert most_privileged(["restricted", "privileged", "baseline"]) == "privileged"
    assert most_privileged([]) == "restricted"


def test_every_pod_of_every_example_is_restricted(built: dict[str, Built]) -> None:
    pods = 0
    for example in built.values():
        for doc in example.docs:
            for _, notes, spec in pod_specs(doc):
                level = pss_level(spec, notes)[0]
                # the node agent mounts host paths on purpose: privileged, in its own namespace
                expected = "privileged" if example.example == "node_agent" else "restricted"
                assert level == expected, example.example
                pods += 1
    assert pods >= 20


def test_the_evaluator_can_fail_on_a_pod_tiers_emits(built: dict[str, Built]) -> None:
    """A negative control: one field changed in an emitted pod changes its level."""
    doc = next(d for d in built["multi_tier"].docs if d["kind"] == "Deployment")
    spec = doc["spec"]["template"]["spec"]
    assert pss_level(spec)[0] == "restricted"
    assert pss_level(merge(spec, {"hostNetwork": True}))[0] == "privileged"


def test_the_doctests_run() -> None:
    import doctest

    import tiers.checks.pss

    failures, tried = doctest.testmod(tiers.checks.pss)
    assert failures == 0 and tried >= 3
