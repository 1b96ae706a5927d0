"""The labels tiers writes on a tier's objects, and those an input adds."""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Group, Plan, Scope
from tiers.resolve.core import MANAGED_BY

COMPONENT = "app.kubernetes.io/component"
NAME = "app.kubernetes.io/name"
PART_OF = "app.kubernetes.io/part-of"
MANAGED = "app.kubernetes.io/managed-by"


def generated_labels(plan: Plan, scope: Scope) -> dict[str, str]:
    """The labels tiers puts on every object of the tier."""
    component = plan.kwargs.get("component") or plan.cls.default_component or plan.name
    return {
        NAME: plan.name,
        "app.kubernetes.io/instance": scope.app,
        COMPONENT: component,
        PART_OF: scope.app,
        MANAGED: MANAGED_BY,
    }


def leftover(labels: Any, generated: dict[str, str]) -> dict[str, str]:
    found = labels if isinstance(labels, dict) else {}
    return {str(k): str(v) for k, v in found.items() if generated.get(str(k)) != str(v)}


def all_labels(g: Group) -> dict[str, str]:
    found = g.workload.metadata.get("labels")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}
