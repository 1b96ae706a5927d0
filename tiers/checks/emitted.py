"""Checks of the objects as emitted: after patches and user templates.

The typed checks judge what the user wrote (``Security(run_as_non_root=False)``
is a warning at that line). A :class:`~tiers.model.Patch` or a user template
can write the same fields directly; here every object a tier emits is
rendered, each of its patches merged in one after the other, and the object
judged by :func:`tiers.checks.findings.object_findings` at each step. What a
patch adds is reported at the patch, with the same code and words as the
typed opt-out (``security-opt-out``, ``credential-literal``, ...); what a
user template's object holds is reported at ``extra_templates``.

:func:`check_emitted` also gives the Pod Security level each namespace's
pods need, computed from the emitted pod specs
(:func:`tiers.checks.pss.pss_level`), and warns, for each tier whose pods
need more than ``restricted``, which field takes them there;
:func:`namespace_levels` writes those levels into the Namespaces' labels.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tiers import ir
from tiers.checks.context import Context
from tiers.checks.findings import Finding, object_findings
from tiers.checks.identities import check_template_identities
from tiers.checks.pss import LEVELS, Level, Reason, most_privileged, pod_specs, pss_level
from tiers.diagnostics import Diagnostic, warning
from tiers.render.objects import Rendered, keep_workload, render_tier, render_workload
from tiers.render.patches import applies, merge

ENFORCE = "pod-security.kubernetes.io/enforce"


@dataclass
class Emitted:
    """What the checks of emitted objects found: diagnostics, and the level
    each namespace must enforce to admit its pods."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    levels: dict[str, Level] = field(default_factory=dict)


@dataclass(frozen=True)
class _Pod:
    tier: ir.Tier | None
    """``None`` for a pod of an app-wide template's object."""
    namespace: str
    label: str
    level: Level
    reasons: list[Reason]


def check_emitted(context: Context) -> Emitted:
    """Render and patch every tier's objects and judge them as emitted."""
    result = Emitted()
    pods: list[_Pod] = []
    for tier in context.resolved.tiers:
        for rendered, from_template in _tier_objects(context.resolved, tier):
            steps = _patched_steps(tier, rendered)
            result.diagnostics += _blame(context, tier, rendered, steps, from_template)
            pods += _pods(tier, steps[-1][1], tier.namespace)
    for manifest in context.resolved.extra_objects:
        result.diagnostics += _app_template(context, manifest)
        pods += _pods(None, manifest, context.resolved.namespace)
    result.levels = _levels(context.resolved, pods)
    result.diagnostics += _level_warnings(context, pods, result.levels)
    result.diagnostics += check_template_identities(context)
    return result


def namespace_levels(app: ir.App, levels: dict[str, Level]) -> None:
    """Label each of ``app``'s Namespaces to enforce the level its pods need."""
    for namespace in app.namespaces:
        level = levels.get(namespace.meta.name, "restricted")
        namespace.meta.labels[ENFORCE] = level


def _tier_objects(app: ir.App, tier: ir.Tier) -> list[tuple[Rendered, bool]]:
    """The tier's objects that can differ from what its typed fields say, each
    with whether a template made it: all of a patched tier's, else its
    workload (whose pods set the Namespace's level; kept for the render, see
    :func:`~tiers.render.objects.keep_workload`) and its templates' objects.
    The typed checks have judged the rest as written."""
    if tier.patches:
        objects = render_tier(tier)
        first_extra = len(objects) - len(tier.extra_objects)
        return [(o, index >= first_extra) for index, o in enumerate(objects)]
    workload = render_workload(tier)
    keep_workload(app, tier, workload)
    found = [(Rendered(tier.name, workload), False)]
    return found + [(Rendered(tier.name, copy.deepcopy(o)), True) for o in tier.extra_objects]


def _patched_steps(tier: ir.Tier, rendered: Rendered) -> list[tuple[ir.Patch | None, Any]]:
    """The object before any patch, then after each of the tier's patches for it."""
    steps: list[tuple[ir.Patch | None, Any]] = [(None, rendered.manifest)]
    for patch in tier.patches:
        if applies(patch, rendered):
            steps.append((patch, merge(steps[-1][1], patch.patch)))
    return steps


def _blame(
    context: Context,
    tier: ir.Tier,
    rendered: Rendered,
    steps: list[tuple[ir.Patch | None, Any]],
    from_template: bool,
) -> Iterator[Diagnostic]:
    """Each finding a patch adds, at the patch; a template's object's, at the template."""
    secret = f"{tier.name}-secrets"
    before = object_findings(steps[0][1], secret) if from_template or len(steps) > 1 else []
    if from_template:
        for finding in before:
            yield _report(context, tier, rendered, finding, "extra_templates", "made by")
    for patch, manifest in steps[1:]:
        after = object_findings(manifest, secret)
        for finding in _new(before, after):
            origin = patch.origin if patch is not None else ""
            yield _report(context, tier, rendered, finding, origin, "set by")
        before = after


def _new(before: list[Finding], after: list[Finding]) -> list[Finding]:
    known = set(before)
    return [f for f in after if f not in known]


def _report(
    context: Context, tier: ir.Tier, rendered: Rendered, finding: Finding, origin: str, how: str
) -> Diagnostic:
    where = f"{rendered.kind} '{rendered.name}' {finding.path}"
    what = "this patch" if how == "set by" else "a template of the tier"
    message = f"{finding.message} ({how} {what}: {where})"
    return context.report(finding.severity, finding.code, message, tier, origin)  # type: ignore[arg-type]


def _app_template(context: Context, manifest: Any) -> Iterator[Diagnostic]:
    """What an object of the app's own templates holds, at ``extra_templates``."""
    rendered = Rendered(None, manifest)
    for finding in object_findings(manifest, f"{context.resolved.name}-secrets"):
        where = f"{rendered.kind} '{rendered.name}' {finding.path}"
        yield Diagnostic(
            finding.severity,  # type: ignore[arg-type]
            finding.code,
            f"{finding.message} (made by a template of the app: {where})",
            None,
            "extra_templates",
            context.resolved.location,
        )


def _pods(tier: ir.Tier | None, manifest: Any, namespace: str) -> list[_Pod]:
    if not isinstance(manifest, dict):
        return []
    metadata = manifest.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    label = f"{manifest.get('kind')} '{metadata.get('name')}'"
    where = str(metadata.get("namespace") or namespace)
    found = []
    for prefix, notes, spec in pod_specs(manifest):
        level, reasons = pss_level(spec, notes)
        moved = [Reason(r.level, _pod_path(prefix, r.field), r.message) for r in reasons]
        found.append(_Pod(tier, where, label, level, moved))
    return found


def _pod_path(prefix: str, field: str) -> str:
    return prefix + (field if field.startswith("metadata.") else f"spec.{field}")


def _levels(app: ir.App, pods: list[_Pod]) -> dict[str, Level]:
    """The least privileged level that admits every pod of each namespace."""
    found: dict[str, list[Level]] = {n.meta.name: [] for n in app.namespaces}
    for pod in pods:
        found.setdefault(pod.namespace, []).append(pod.level)
    return {name: most_privileged(levels) for name, levels in found.items()}


def _level_warnings(
    context: Context, pods: list[_Pod], levels: dict[str, Level]
) -> Iterator[Diagnostic]:
    """For each tier whose pods need more than restricted: the level, the
    Namespace that enforces it, and the first field that needs it."""
    emitted = {n.meta.name for n in context.resolved.namespaces}
    seen: set[str | None] = set()
    for pod in sorted(pods, key=lambda p: -LEVELS.index(p.level)):
        key = pod.tier.name if pod.tier is not None else None
        if pod.level == "restricted" or key in seen or _said_by_host_paths(pod):
            continue
        seen.add(key)
        message = _level_message(pod, levels, pod.namespace in emitted)
        if pod.tier is not None:
            yield context.warning("namespace-pod-security", message, pod.tier, "namespace")
        else:
            location = context.resolved.location
            yield warning(
                "namespace-pod-security", message, field="extra_templates", location=location
            )


HOST_PATH_VOLUME = re.compile(r"\.volumes\[\d+\]\.hostPath$")


def _said_by_host_paths(pod: _Pod) -> bool:
    """Whether every field that puts the pod above restricted is a volume of
    the tier's typed ``host_paths``, each already a warning that names the
    level (:mod:`tiers.checks.daemons`)."""
    worst = [r for r in pod.reasons if r.level == pod.level]
    typed = 0
    if pod.tier is not None and not pod.tier.patches:
        typed = sum(1 for v in pod.tier.workload.volumes if v.host_path is not None)
    return 0 < len(worst) <= typed and all(HOST_PATH_VOLUME.search(r.field) for r in worst)


def _level_message(pod: _Pod, levels: dict[str, Level], emitted: bool) -> str:
    worst = [r for r in pod.reasons if r.level == pod.level]
    more = f" (and {len(worst) - 1} more)" if len(worst) > 1 else ""
    namespace = pod.namespace
    label = (
        f"the Namespace '{namespace}' is labelled to enforce {levels.get(namespace, pod.level)}"
        if emitted
        else f"the Namespace '{namespace}' must enforce {pod.level} (or looser) to admit them"
    )
    return (
        f"the pods of {pod.label} need the {pod.level} Pod Security Standard, not restricted: "
        f"{worst[0].field}: {worst[0].message}{more}; {label}. Change those fields to keep "
        "the namespace restricted"
    )
