"""The benchmark's workload: ``examples/scale.py`` with several copies builds,
stays wired copy by copy, and every object passes the Kubernetes schema."""

from __future__ import annotations

import os
from collections import Counter

import kubernetes_validate

from tests.conftest import build_docs

KUBERNETES = "1.31.0"


def test_scale_with_five_copies_is_valid_kubernetes() -> None:
    docs = build_docs("scale", env={**os.environ, "SHOP_COPIES": "5"})
    kinds = Counter(d["kind"] for d in docs)
    per_copy = {
        "Deployment": 2,
        "StatefulSet": 1,
        "Service": 4,
        "NetworkPolicy": 3,
        "PodDisruptionBudget": 2,
    }
    assert kinds == Counter({"Namespace": 1, **{k: 5 * n for k, n in per_copy.items()}})
    for document in docs:
        kubernetes_validate.validate(document, KUBERNETES, strict=True)


def test_each_copy_is_wired_to_its_own_tiers() -> None:
    docs = build_docs("scale", env={**os.environ, "SHOP_COPIES": "4"})
    for copy in range(4):
        backend = next(d for d in docs if d["metadata"]["name"] == f"backend-{copy}")
        env = backend["spec"]["template"]["spec"]["containers"][0]["env"]
        assert {"name": "DB_HOST", "value": f"mysql-{copy}-service"} in env
        assert {"name": "DB_PORT", "value": "3306"} in env
