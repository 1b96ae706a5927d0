"""Inputs the property tests of ``tiers import`` found crashing it, each kept
as a case: an odd value is a warning or a clear error, never a traceback."""

from __future__ import annotations

import pytest
import yaml

from tiers.errors import ImportFailedError
from tiers.importer import Options, import_sources
from tiers.importer.read import parse


def _ring(ports: object, service_ports: object) -> str:
    """A StatefulSet of three (a ring whose peers are looked for) with odd ports."""
    workload = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "ring"},
        "spec": {
            "replicas": 3,
            "serviceName": "ring",
            "selector": {"matchLabels": {"app": "ring"}},
            "template": {
                "metadata": {"labels": {"app": "ring"}},
                "spec": {"containers": [{"name": "ring", "image": "ring:1.0", "ports": ports}]},
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "ring"},
        "spec": {"selector": {"app": "ring"}, "ports": service_ports},
    }
    return yaml.safe_dump_all([workload, service], sort_keys=False)


@pytest.mark.parametrize(
    ("ports", "service_ports"),
    [
        (True, [{"port": 80}]),
        ([{"containerPort": 80, "name": ["x"]}], [{"port": 80, "targetPort": {"a": 1}}]),
        ([{"containerPort": 80}], True),
    ],
)
def test_odd_ports_of_a_ring_are_no_crash(ports: object, service_ports: object) -> None:
    try:
        imported = import_sources(parse(_ring(ports, service_ports), "in.yaml"), Options(name="p"))
    except ImportFailedError as exc:
        assert exc.problems
        return
    assert "ring = app.add(" in imported.code
