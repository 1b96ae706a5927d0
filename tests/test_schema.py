"""Every document every example emits passes kubernetes-validate --strict, for
Kubernetes 1.30 and for the newest version the installed package ships."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest
from kubernetes_validate.utils import all_versions, latest_version, major_minor
from packaging.version import Version

from tests.conftest import ALL_EXAMPLES, Built

VERSIONS = sorted({"1.30", major_minor(latest_version())}, key=Version)

CUSTOM_API_GROUPS = frozenset({"gateway.networking.k8s.io"})
"""API groups of custom resources (Gateway API), which have no schema among
Kubernetes' own; every other document must have one and pass it."""


def built_in(doc: dict[str, object]) -> bool:
    group = str(doc["apiVersion"]).rpartition("/")[0]
    return group not in CUSTOM_API_GROUPS


def test_the_package_ships_the_versions_we_validate_against() -> None:
    shipped = {major_minor(v) for v in all_versions()}
    assert set(VERSIONS) <= shipped
    assert Version(VERSIONS[-1]) >= Version("1.30")


@pytest.mark.parametrize("version", VERSIONS)
def test_strict_validation_rejects_an_unknown_field(version: str, built: dict[str, Built]) -> None:
    [deployment] = [copy.deepcopy(d) for d in built["web_app"].docs if d["kind"] == "Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy2"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, version, strict=True)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_every_document_is_valid(example: str, version: str, built: dict[str, Built]) -> None:
    docs = [d for d in built[example].docs if built_in(d)]
    assert docs
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.path)
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} at {where}: {exc.message}")
