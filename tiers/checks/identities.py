"""No two objects of an app share a name: the objects of user templates,
checked against each other and against every object tiers makes.

The typed checks keep tiers' own objects apart (``duplicate-name``); a
template can render any kind and name, so once the app has no error its
objects are rendered and counted by identity (API group, kind, namespace,
name). Two objects with one identity replace each other in the cluster, and
their files in ``-o DIR`` would be written twice: each is an error at the
template that made it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error
from tiers.render.objects import render_each

Identity = tuple[str, str, str, str]


def identity(manifest: Any, namespace: str) -> Identity:
    """(API group, kind, namespace, name) of ``manifest``."""
    metadata = manifest.get("metadata") or {}
    group = str(manifest.get("apiVersion", "")).rpartition("/")[0]
    where = str(metadata.get("namespace") or namespace)
    return group, str(manifest.get("kind")), where, str(metadata.get("name"))


def check_template_identities(context: Context) -> Iterator[Diagnostic]:
    """Each template's object whose identity another object of the app has."""
    app = context.resolved
    if not app.extra_objects and not any(t.extra_objects for t in app.tiers):
        return
    makers: dict[Identity, list[str]] = defaultdict(list)
    for rendered in render_each(app):
        maker = f"tier '{rendered.tier}'" if rendered.tier is not None else "the app"
        makers[identity(rendered.manifest, app.namespace)].append(maker)
    reported: set[Identity] = set()
    for tier, manifest in _template_objects(app):
        key = identity(manifest, tier.namespace if tier is not None else app.namespace)
        if len(makers[key]) < 2 or key in reported:
            continue
        reported.add(key)
        yield _duplicate(context, tier, key, makers[key])


def _template_objects(app: ir.App) -> Iterator[tuple[ir.Tier | None, Any]]:
    for tier in app.tiers:
        for manifest in tier.extra_objects:
            yield tier, manifest
    for manifest in app.extra_objects:
        yield None, manifest


def _duplicate(
    context: Context, tier: ir.Tier | None, key: Identity, makers: list[str]
) -> Diagnostic:
    _, kind, namespace, name = key
    by = ", ".join(dict.fromkeys(makers))
    message = (
        f"{kind} '{name}' in namespace '{namespace}' is made {len(makers)} times (by {by}): "
        "in the cluster one replaces the other, and their files would be written twice. "
        "Give the template's object a name of its own"
    )
    if tier is not None:
        return context.error("duplicate-object", message, tier, "extra_templates")
    return error(
        "duplicate-object", message, field="extra_templates", location=context.resolved.location
    )
