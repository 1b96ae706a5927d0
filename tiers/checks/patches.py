"""Checks of patches: each one lands on exactly one object of its tier and
leaves the object's identity alone."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean

if TYPE_CHECKING:  # rendering (Jinja2) is imported only for an app with patches
    from tiers.render.objects import Rendered


def check_patches(context: Context) -> Iterator[Diagnostic]:
    """Every patch names a kind (and name) the tier emits, and only one object."""
    for tier in context.resolved.tiers:
        if not tier.patches:
            continue
        from tiers.render.objects import render_tier

        objects = render_tier(tier)
        for patch in tier.patches:
            message = (
                _target_problem(patch, objects)
                or _identity_problem(patch)
                or _removal_problem(patch)
            )
            if message:
                yield context.error("patch-target", message, tier, patch.origin)


def _target_problem(patch: ir.Patch, objects: list[Rendered]) -> str | None:
    from tiers.render.patches import applies

    emitted = ", ".join(f"{o.kind} '{o.name}'" for o in objects)
    found = [o for o in objects if applies(patch, o)]
    if not any(o.kind == patch.kind for o in objects):
        hint = did_you_mean(patch.kind, sorted({o.kind for o in objects}))
        return (
            f"the tier emits no {patch.kind} (it emits {emitted}).{hint or ' Patch one of those'}"
        )
    if not found:
        names = [o.name for o in objects if o.kind == patch.kind]
        hint = did_you_mean(str(patch.name), names)
        return f"the tier emits no {patch.kind} named '{patch.name}' (it emits {emitted}).{hint}"
    if len(found) > 1:
        listed = ", ".join(f"'{o.name}'" for o in found)
        return (
            f"the tier emits several {patch.kind}s ({listed}); "
            f"name one with Patch({patch.kind!r}, ..., name={found[0].name!r})"
        )
    return None


def _identity_problem(patch: ir.Patch) -> str | None:
    from tiers.render.patches import identity_changes

    changed = identity_changes(patch.patch)
    if not changed:
        return None
    return (
        f"a patch cannot change {', '.join(changed)}: they say which object it is. "
        "Set the tier's own fields (name, namespace, stateful) instead"
    )


def _removal_problem(patch: ir.Patch) -> str | None:
    from tiers.render.patches import removed_rules

    removed = removed_rules(patch.kind, patch.patch)
    if not removed:
        return None
    return (
        f"a patch cannot remove {', '.join(removed)} of a NetworkPolicy: that would drop "
        "the rules tiers generated (DNS and the wiring). A patch's rules are added to "
        "them; to allow a connection, declare it (calls=[...], ingress_from=[...], "
        "egress_to=[...]) or add a rule in a list"
    )


SCHEMA_VERSION = "1.30.0"
"""The Kubernetes version whose schemas a patched object must meet."""


def check_patched_schema(context: Context) -> Iterator[Diagnostic]:
    """A patched object still meets the Kubernetes schema (strict: no unknown
    fields), checked with kubernetes-validate when it is installed."""
    patched = [t for t in context.resolved.tiers if t.patches]
    if not patched:
        return
    try:
        validator = importlib.import_module("kubernetes_validate")
    except ImportError:
        tier = patched[0]
        yield context.warning(
            "patch-schema-unchecked",
            "patched objects are not checked against the Kubernetes schemas; "
            "install them with pip install 'tiers[schema]' (kubernetes-validate)",
            tier,
            tier.patches[0].origin,
        )
        return
    for tier in patched:
        yield from _schema_problems(context, tier, validator)


def _schema_problems(context: Context, tier: ir.Tier, validator: Any) -> Iterator[Diagnostic]:
    from tiers.render.objects import render_tier
    from tiers.render.patches import applies, patch_object

    for patch in tier.patches:
        for rendered in render_tier(tier):
            if not applies(patch, rendered):
                continue
            manifest = patch_object(rendered.kind, rendered.manifest, patch.patch)
            try:
                validator.validate(manifest, SCHEMA_VERSION, strict=True)
            except validator.ValidationError as exc:
                where = ".".join(str(p) for p in exc.path) or "the object"
                message = (
                    f"after this patch, {rendered.kind} '{rendered.name}' is not valid "
                    f"Kubernetes {SCHEMA_VERSION}: {where}: {exc.message}"
                )
                yield context.error("patch-schema", message, tier, patch.origin)
            except Exception:  # a kind the schemas do not know (a CRD): nothing to check
                continue
