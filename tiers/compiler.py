"""The pipeline: app definition → resolve → validate (as written, then as
emitted) → render → patch → emit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tiers.checks import Context, run_checks
from tiers.checks.accept import accepted
from tiers.checks.problems import app_problems, construction_problems
from tiers.checks.shape import shape_problems
from tiers.diagnostics import Diagnostic, sorted_diagnostics
from tiers.errors import InvalidAppError
from tiers.ir import App as ResolvedApp
from tiers.model import app as model
from tiers.resolve.core import resolve

if TYPE_CHECKING:  # rendering (Jinja2) is imported only by what renders: not by validate
    from tiers.render.objects import Rendered
    from tiers.render.templates import Manifest


@dataclass(frozen=True)
class Compiled:
    """A compiled app: its objects in order, and the warnings found on the way."""

    app: ResolvedApp
    objects: list[Rendered]
    warnings: list[Diagnostic]


def validate(app: model.App, emitted: bool = True) -> tuple[ResolvedApp, list[Diagnostic]]:
    """Resolve ``app`` and run every check; returns all diagnostics, sorted.
    Without ``emitted``, only the checks of the app as written run: nothing is
    rendered (what ``tiers graph`` needs of an app)."""
    app_level = app_problems(app) or shape_problems(app)
    if app_level:
        empty = ResolvedApp(str(app.name), str(app.namespace), str(app.cluster_domain), [], [])
        return empty, sorted_diagnostics(app_level)
    found, broken = construction_problems(app)
    resolved, diagnostics = resolve(app, broken)
    found += diagnostics
    context = Context(app, resolved)
    found += run_checks(context, found)
    complete = emitted and not any(d.severity == "error" for d in found)
    if complete:
        found += _check_emitted(context)
    return resolved, sorted_diagnostics(accepted(app, found, complete))


def validate_emitted(app: model.App, resolved: ResolvedApp) -> list[Diagnostic]:
    """The checks :func:`validate` runs as emitted, for ``app`` that
    ``validate(app, emitted=False)`` resolved into ``resolved`` without an
    error: with these, its diagnostics are :func:`validate`'s, and the
    workloads are rendered (and kept for :func:`objects_each`) on the way."""
    return _check_emitted(Context(app, resolved))


def _check_emitted(context: Context) -> list[Diagnostic]:
    """The checks of the objects as emitted (after patches and templates); the
    Namespaces then enforce the Pod Security level their pods need. Run once
    the app has no error, since only then can every object be rendered."""
    from tiers.checks.emitted import check_emitted, namespace_levels

    emitted = check_emitted(context)
    namespace_levels(context.resolved, emitted.levels)
    return emitted.diagnostics


def compile_app(app: model.App) -> Compiled:
    """Compile ``app``; raises :class:`~tiers.errors.InvalidAppError` listing
    every problem when there is any error."""
    resolved, diagnostics = check(app)
    return Compiled(resolved, list(objects_each(resolved)), diagnostics)


def check(app: model.App, emitted: bool = True) -> tuple[ResolvedApp, list[Diagnostic]]:
    """:func:`validate` ``app``; raises :class:`~tiers.errors.InvalidAppError`
    listing every problem when there is any error, else returns the resolved
    app and its warnings."""
    resolved, diagnostics = validate(app, emitted)
    if any(d.severity == "error" for d in diagnostics):
        raise InvalidAppError(diagnostics)
    return resolved, diagnostics


def objects_each(resolved: ResolvedApp) -> Iterator[Rendered]:
    """The objects of :func:`compile_app`, in its order, rendered and patched one
    tier at a time, so that a large app never holds all of them at once."""
    from tiers.render.objects import render_each
    from tiers.render.patches import patch_each

    return patch_each(resolved, render_each(resolved))


def manifests(app: model.App) -> list[Manifest]:
    """The app's Kubernetes objects, in order, as dictionaries."""
    return [r.manifest for r in compile_app(app).objects]


def build_yaml(app: model.App) -> str:
    """The app's objects as one multi-document YAML stream."""
    from tiers.output.emit import stream

    return stream(compile_app(app).objects)
