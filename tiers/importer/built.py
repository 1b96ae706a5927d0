"""What the imported app builds, beside what the input holds.

:func:`first_build` compiles the app without patches (its references kept
only where the compiler writes them as the input did); :func:`add_patches`
gives each tier the patches that make its objects hold every field of the
input; :func:`self_check` compiles the app with them and reports what it
would not make again. When nothing changed since the first build (no patch,
no call, no field of a tier or the app), that build is the app's: it is not
compiled a second time.
"""

from __future__ import annotations

import copy
import dataclasses
import marshal
from dataclasses import dataclass
from typing import Any

from tiers import ir
from tiers.compiler import compile_app, validate, validate_emitted
from tiers.diagnostics import Diagnostic, sorted_diagnostics
from tiers.errors import ImportFailedError, InvalidAppError
from tiers.importer.defaults import without_defaults
from tiers.importer.externals import External
from tiers.importer.group import Omission, Plan, Scope, dig, items
from tiers.importer.read import Source
from tiers.importer.references import refs_in
from tiers.importer.secrets import (
    annotation_maps,
    create_command,
    holds_credential,
    moved,
    secret_name,
)
from tiers.location import Location
from tiers.model.app import App, Patch, Tier
from tiers.render.objects import Rendered, render
from tiers.render.patches import diff, uncovered

LATER = "credential-missing"
"""Judged once the patches are in (:func:`self_check`)."""


@dataclass
class Imported:
    """Each input object (by ``id``) as the app holds it (see
    :func:`as_imported`), and the rendered object that already held every
    field of it (no patch was needed)."""

    wanted: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    held_by: dict[int, Rendered] = dataclasses.field(default_factory=dict)


@dataclass
class FirstBuild:
    """The app compiled without patches: resolved, its objects, every
    diagnostic :func:`~tiers.compiler.validate` gives it (``None`` when the
    checks as emitted could not run yet), and the state it had."""

    resolved: ir.App
    objects: list[Rendered]
    diagnostics: list[Diagnostic] | None
    state: list[tuple[Any, ...]]
    stale: bool = False
    """Set when the importer changed what :func:`state` cannot see (inside a field)."""

    def holds(self, app: App) -> bool:
        """True when ``app`` is still what was built: the objects are its own."""
        return self.diagnostics is not None and not self.stale and state(app) == self.state


def first_build(app: App, plans: list[Plan], tiers: dict[str, Tier]) -> FirstBuild:
    """The app compiled as it is; raises :class:`ImportFailedError` for an
    error that is not :data:`LATER`."""
    resolved, diagnostics = _keep_exact_references(app, plans, tiers)
    complete = None
    if not any(d.severity == "error" for d in diagnostics):
        complete = sorted_diagnostics([*diagnostics, *validate_emitted(app, resolved)])
    return FirstBuild(resolved, render(resolved), complete, state(app))


def state(app: App) -> list[tuple[Any, ...]]:
    """Every field of the app and of each tier, lists and dicts by their items
    (held, so that no id is reused): whatever the importer sets, adds or
    removes after the first build shows here."""
    return [_fields(app), *(_fields(t) for t in app.tiers)]


def _fields(obj: object) -> tuple[Any, ...]:
    return tuple((name, _shallow(value)) for name, value in vars(obj).items())


def _shallow(value: Any) -> Any:
    if isinstance(value, list):
        return ("list", *value)
    if isinstance(value, dict):
        return ("dict", *value.items())
    return value


def _keep_exact_references(
    app: App, plans: list[Plan], tiers: dict[str, Tier]
) -> tuple[ir.App, list[Diagnostic]]:
    """Turn back into literals the references the compiler would write
    differently; the app resolved as it then is, and its diagnostics."""
    for _ in range(len(plans) + 1):
        resolved, diagnostics = validate(app, emitted=False)
        changed = _unwrite(plans, tiers, resolved, diagnostics)
        if not changed:
            break
    # a credential kept as a patch (a Secret reference the kind would mount as a
    # file) is not there yet: the app is checked again, with its patches, at the end
    errors = [
        str(at_input(d, list(plans)))
        for d in diagnostics
        if d.severity == "error" and d.code != LATER
    ]
    if errors:
        raise ImportFailedError(errors)
    if changed:
        resolved, diagnostics = validate(app, emitted=False)
    return resolved, diagnostics


def _unwrite(
    plans: list[Plan], tiers: dict[str, Tier], resolved: ir.App, diagnostics: list[Diagnostic]
) -> bool:
    """Turn back into the input's literal each reference that failed or is
    written otherwise; True when one was."""
    failed = {(d.tier, d.field) for d in diagnostics if d.code == "env-reference"}
    written = {
        (t.name, f"env.{e.name}"): e.value
        for t in resolved.tiers
        for e in t.workload.containers[0].env
    }
    changed = False
    for plan in plans:
        tier = tiers[plan.name]
        for name, value in list(tier.env.items()):
            wanted = plan.kwargs["env"][name]
            key = (tier.name, f"env.{name}")
            if refs_in(value) and (key in failed or written.get(key) != wanted):
                tier.env[name] = wanted
                changed = True
    return changed


def add_patches(plans: list[Plan], tiers: dict[str, Tier], objects: list[Rendered]) -> Imported:
    """Each object's fields that the tier (rendered as ``objects``) does not
    produce, as patches; every input object as imported."""
    by_tier: dict[str | None, list[Rendered]] = {}
    for rendered in objects:
        by_tier.setdefault(rendered.tier, []).append(rendered)
    imported = Imported()
    for plan in plans:
        mine = by_tier.get(plan.name, [])
        for source in plan.group.sources:
            imported.wanted[id(source)] = as_imported(source, plan)
        tiers[plan.name].patches = [
            patch
            for source in plan.group.sources
            if (patch := _patch(source, imported, mine)) is not None
        ]
    return imported


def _patch(source: Source, imported: Imported, objects: list[Rendered]) -> Patch | None:
    """The patch that makes the tier's object hold every field of ``source``
    as imported (see :func:`as_imported`)."""
    rendered = next((o for o in objects if o.kind == source.kind and o.name == source.name), None)
    if rendered is None:
        made = ", ".join(f"{o.kind} '{o.name}'" for o in objects)
        raise ImportFailedError([f"{source}: its tier makes {made} instead; it cannot be imported"])
    wanted = without_defaults(imported.wanted[id(source)], rendered.manifest)
    change = diff(rendered.manifest, wanted)
    if change is None:
        imported.held_by[id(source)] = rendered
        return None
    several = sum(o.kind == source.kind for o in objects) > 1
    return Patch(source.kind, change, name=source.name if several else None)


def as_imported(source: Source, plan: Plan) -> dict[str, Any]:
    """``source``'s object with its credentials as the app holds them: without
    the env vars whose literal values moved to a Secret, with the command and
    args that carry ``$(VAR)`` instead of a credential, and without the
    annotations left out. Only the tier's workload holds them (a copy: the
    others are the input's own object, which nothing here changes)."""
    if source is not plan.group.workload:
        return source.manifest
    names = moved(plan.kwargs["env"], plan.container)
    if not names and not plan.secret_args and not _credential_notes(source.manifest):
        return source.manifest  # nothing to change
    result = _copy(source.manifest)
    spec = dig(result, "spec", "jobTemplate", "spec") if result.get("kind") == "CronJob" else result
    for container in items(dig(spec, "spec", "template", "spec", "containers")):
        env = container.get("env")
        if isinstance(env, list):
            container["env"] = [
                e for e in env if not (isinstance(e, dict) and e.get("name") in names)
            ]
    first = items(dig(spec, "spec", "template", "spec", "containers"))
    for part in ("command", "args") if plan.secret_args and first else ():
        if plan.kwargs.get(part) is not None:
            first[0][part] = plan.kwargs[part]
    for notes in annotation_maps(result):
        held = [k for k, v in notes.items() if isinstance(v, str) and holds_credential(k, v)]
        for key in held:
            del notes[key]
            plan.left_out += [] if key in plan.left_out else [key]
    return result


def _credential_notes(manifest: dict[str, Any]) -> bool:
    """True when an annotation of ``manifest`` holds a credential."""
    return any(
        isinstance(v, str) and holds_credential(k, v)
        for notes in annotation_maps(manifest)
        for k, v in notes.items()
    )


def _copy(manifest: dict[str, Any]) -> dict[str, Any]:
    """A deep copy: by ``marshal`` (fast) when it can write every value, else ``copy``."""
    try:
        found: dict[str, Any] = marshal.loads(marshal.dumps(manifest))
    except (ValueError, RecursionError):
        return copy.deepcopy(manifest)
    return found


def moved_credentials(plan: Plan, scope: Scope) -> Omission | None:
    """The warning for the tier's literal credentials moved to a Secret (or,
    in annotations, left out)."""
    names = moved(plan.kwargs["env"], plan.container) + list(plan.secret_args)
    if not names and not plan.left_out:
        return None
    namespace = plan.group.namespace or scope.namespace
    parts = []
    if names:
        parts.append(
            f"env {', '.join(names)}: a literal credential in the input is not written into "
            f"the app (it would be committed to Git); the value now comes from Secret "
            f"'{secret_name(plan.name)}' (key: the variable's name"
            + (", written $(VAR) in the command or args" if plan.secret_args else "")
            + f"), which you must create before applying: "
            f"{create_command(plan.name, namespace, names)}"
        )
    if plan.left_out:
        parts.append(
            f"annotations {', '.join(plan.left_out)}: hold a credential, so they are left "
            "out; keep it in a Secret and give its name instead"
        )
    return Omission(plan.group.workload, "; ".join(parts), whole=False)


def self_check(
    app: App,
    plans: list[Plan | External],
    warnings: list[Omission],
    first: FirstBuild,
    imported: Imported,
) -> list[Omission]:
    """The warnings that still hold once the app is built: an object left out
    that the app makes anyway (a PodDisruptionBudget tiers wrote, say) is not
    lost. Adds one for any imported object the app would not make again,
    which only a bug in tiers could cause."""
    objects: dict[tuple[str, str], list[Rendered]] = {}
    for rendered in _built(app, plans, first):
        objects.setdefault((rendered.kind, rendered.name), []).append(rendered)
    kept = [
        w for w in warnings if not (w.whole and not _lost(w.source, w.source.manifest, objects))
    ]
    for plan in plans:
        for source in plan.group.sources if isinstance(plan, Plan) else plan.sources:
            wanted = imported.wanted.get(id(source), source.manifest)
            lost = _lost(source, wanted, objects, imported.held_by.get(id(source)))
            if lost:
                kept.append(Omission(source, f"these fields could not be kept: {'; '.join(lost)}"))
    return kept


def _built(app: App, plans: list[Plan | External], first: FirstBuild) -> list[Rendered]:
    """The objects the app builds: the first build's when the app is still
    that one, else compiled again; raises :class:`ImportFailedError` for its errors."""
    if first.holds(app):
        diagnostics = first.diagnostics or []
        objects = first.objects
    else:
        try:
            return compile_app(app).objects
        except InvalidAppError as exc:
            diagnostics, objects = exc.diagnostics, []
    errors = [str(at_input(d, plans)) for d in diagnostics if d.severity == "error"]
    if errors:
        raise ImportFailedError(errors)
    return objects


def at_input(diagnostic: Diagnostic, plans: list[Plan | External] | list[Plan]) -> Diagnostic:
    """``diagnostic`` at the input object its tier came from (the app it is about
    was made in memory, so it has no line of its own)."""
    for plan in plans:
        if isinstance(plan, Plan) and plan.name == diagnostic.tier:
            source = plan.group.workload
            return dataclasses.replace(diagnostic, location=Location(source.file, source.line))
    return diagnostic


def _lost(
    source: Source,
    wanted: dict[str, Any],
    objects: dict[tuple[str, str], list[Rendered]],
    held_by: Rendered | None = None,
) -> list[str]:
    """The fields of ``wanted`` (``source`` as imported) that the built objects
    (by kind and name) lack (all, if none is it). None when the object is
    ``held_by``, which held every field without a patch (``diff`` found
    nothing to add, so nothing is uncovered)."""
    namespace = source.namespace
    for o in objects.get((source.kind, source.name), []):
        if namespace in (None, o.manifest.get("metadata", {}).get("namespace")):
            if o is held_by:
                return []
            return list(uncovered(o.manifest, without_defaults(wanted, o.manifest)))
    return ["the whole object"]
