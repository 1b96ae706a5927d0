"""Over every example's output: each Service selects the pods of exactly one
tier, its own, and every targetPort is a containerPort of those pods."""

from __future__ import annotations

import pytest

from tests import k8s
from tests.conftest import ALL_EXAMPLES, Built

TIER_LABEL = "app.kubernetes.io/name"


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_every_service_selects_exactly_its_own_tier(example: str, built: dict[str, Built]) -> None:
    docs = built[example].docs
    assert k8s.services(docs)
    for service in k8s.services(docs):
        pods = k8s.selected(service, docs)
        name = service["metadata"]["name"]
        assert len(pods) == 1, f"{name} selects {[p['metadata']['name'] for p in pods]}"
        assert (
            pods[0]["metadata"]["labels"][TIER_LABEL] == service["metadata"]["labels"][TIER_LABEL]
        )


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_every_target_port_is_a_container_port(example: str, built: dict[str, Built]) -> None:
    docs = built[example].docs
    for service in k8s.services(docs):
        (pods,) = k8s.selected(service, docs)
        for port in service["spec"]["ports"]:
            target = k8s.target_number(port, pods)
            assert target is not None, f"{service['metadata']['name']}: {port}"


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_every_workload_selects_its_own_pods(example: str, built: dict[str, Built]) -> None:
    docs = built[example].docs
    for workload in k8s.workloads(docs):
        selector = workload["spec"]["selector"]["matchLabels"]
        assert selector
        assert selector.items() <= k8s.pod_labels(workload).items()
        others = [
            w
            for w in k8s.workloads(docs)
            if w is not workload
            and selector.items() <= k8s.pod_labels(w).items()
            and k8s.namespace(w) == k8s.namespace(workload)
        ]
        assert not others, f"{workload['metadata']['name']} also selects {others}"
