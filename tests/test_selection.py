"""Over every example's output: each Service selects the pods of exactly one
tier, its own, and every targetPort is a containerPort of those pods."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import k8s
from tests.conftest import ALL_EXAMPLES, Built
from tiers import App, Port, Tier, manifests

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
        selector = k8s.selector(workload)
        if selector is None:
            continue
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


SERVICE_KINDS = ("ClusterIP", "Headless", "NodePort", "LoadBalancer")


@st.composite
def apps(draw: st.DrawFn) -> App:
    """A valid app of 1-4 tiers, each with its own container ports and Service."""
    app = App("prop")
    names = draw(
        st.lists(
            st.sampled_from(["api", "db", "web", "cache", "queue"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    for name in names:
        numbers = draw(st.lists(st.integers(1024, 65535), min_size=1, max_size=3, unique=True))
        named = draw(st.booleans())
        ports = [Port(n, f"p{i}") if named else n for i, n in enumerate(numbers)]
        target: int | str | None = draw(
            st.sampled_from([None, numbers[0], *(["p0"] if named else [])])
        )
        port = draw(st.sampled_from([None, 80, 8080])) if target is not None else None
        service = draw(st.sampled_from(SERVICE_KINDS))
        app.add(
            Tier(
                name,
                image="busybox:1.36.1",
                ports=ports,
                service=service,
                port=port,
                target_port=target if port else None,
            )
        )
    return app


@settings(max_examples=60, deadline=None)
@given(apps())
def test_any_app_selects_and_targets_its_own_pods(app: App) -> None:
    docs = manifests(app)
    assert len(k8s.services(docs)) == len(app.tiers)
    for service in k8s.services(docs):
        (pods,) = k8s.selected(service, docs)
        assert pods["metadata"]["labels"][TIER_LABEL] == service["metadata"]["labels"][TIER_LABEL]
        for port in service["spec"]["ports"]:
            assert k8s.target_number(port, pods) is not None, port
