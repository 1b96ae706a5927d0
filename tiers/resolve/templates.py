"""User templates: extra objects rendered from the user's own Jinja2 files,
with the same YAML-safe environment as the built-in templates.

A template sees (tier templates): ``tier`` (the resolved tier: ``tier.name``,
``tier.namespace``, ``tier.workload``, ``tier.services``, ...), ``app``,
``name``, ``namespace``, ``labels`` (the tier's labels) and ``selector``.
App templates see ``app``, ``name``, ``namespace`` and ``labels`` (the app's).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tiers import ir
from tiers.diagnostics import Diagnostic, error
from tiers.location import Location, display_path
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.yaml import load_all
from tiers.yaml.scalars import YamlText, flow

# Jinja2, PyYAML and traceback are imported below, only for an app with templates.


class _TemplateProblem(Exception):
    """A template that cannot give objects, with the line to blame."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location


def resolve_extra_templates(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Render every tier's and the app's ``extra_templates`` into extra objects."""
    for tier, resolved in pairs:
        context = tier_context(result, resolved)
        resolved.extra_objects = _render_all(
            tier.extra_templates, defined_at(tier), context, tier.name, diagnostics
        )
    context = app_context(result)
    result.extra_objects = _render_all(
        app.extra_templates, defined_at(app), context, None, diagnostics
    )


def tier_context(app: ir.App, tier: ir.Tier) -> dict[str, Any]:
    """What a tier's template sees."""
    return {
        "app": app,
        "tier": tier,
        "name": tier.name,
        "namespace": tier.namespace,
        "labels": dict(tier.workload.meta.labels),
        "selector": dict(tier.workload.selector),
    }


def app_context(app: ir.App) -> dict[str, Any]:
    """What an app's template sees."""
    labels = {
        "app.kubernetes.io/instance": app.name,
        "app.kubernetes.io/part-of": app.name,
        "app.kubernetes.io/managed-by": "tiers",
    }
    return {"app": app, "name": app.name, "namespace": app.namespace, "labels": labels}


def _render_all(
    paths: list[Path | str],
    where: Location,
    context: dict[str, Any],
    tier: str | None,
    diagnostics: list[Diagnostic],
) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for index, path in enumerate(paths):
        full = Path(path) if Path(path).is_absolute() else Path(where.file).parent / path
        try:
            objects.extend(render_user_template(full, context))
        except _TemplateProblem as exc:
            diagnostics.append(
                error(
                    "extra-template",
                    str(exc),
                    tier=tier,
                    field=f"extra_templates[{index}]",
                    location=exc.location or where,
                )
            )
    return objects


def render_user_template(path: Path, context: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects of the template at ``path``, each with a namespace.

    The template may include the built-in partials (``_metadata.yaml.j2``).
    """
    import yaml

    text = _render_text(path, context)
    try:
        documents = load_all(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise _TemplateProblem(
            f"the rendered text is not valid YAML (line {line} of the output): {problem}",
            Location(str(path), line),
        ) from None
    if not documents:
        raise _TemplateProblem(f"{path.name} rendered no object", Location(str(path), 1))
    return [_object(path, doc, context["namespace"]) for doc in documents]


def _render_text(path: Path, context: dict[str, Any]) -> str:
    import jinja2

    from tiers.render.templates import environment

    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(path.parent)), environment().loader]  # type: ignore[list-item]
    )
    env = environment().overlay(loader=loader, finalize=_strict_flow)
    try:
        return env.get_template(path.name).render(**context)
    except jinja2.TemplateNotFound as exc:
        missing = display_path(str(path)) if exc.name == path.name else exc.name
        raise _TemplateProblem(f"template not found: {missing}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise _TemplateProblem(
            f"template syntax: {exc.message}", Location(exc.filename or str(path), exc.lineno)
        ) from None
    except UnicodeDecodeError as exc:  # the template file (or one it includes)
        raise _TemplateProblem(
            f"{path.name} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}: "
            f"{exc.reason}); save it as UTF-8",
            Location(str(path), exc.object[: exc.start].count(b"\n") + 1),
        ) from None
    except Exception as exc:  # the template's own code: any error is the user's to fix
        raise _TemplateProblem(_describe(exc, context), _template_line(exc, path)) from None


def _strict_flow(value: object) -> YamlText:
    """:func:`~tiers.yaml.scalars.flow`, raising Jinja2's own error for an undefined value."""
    import jinja2

    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError, naming the variable
    return flow(value)


def _describe(exc: Exception, context: dict[str, Any]) -> str:
    import jinja2

    if isinstance(exc, jinja2.UndefinedError):
        names = ", ".join(context)
        return f"undefined in the template: {exc.message} (the context holds {names})"
    return f"cannot render: {type(exc).__name__}: {exc}"


def _template_line(exc: BaseException, path: Path) -> Location:
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    if not frames:
        return Location(str(path), 0)
    last = frames[-1]
    return Location(last.filename, last.lineno or 0)


def _object(path: Path, document: object, namespace: str) -> dict[str, Any]:
    where = Location(str(path), 1)
    if not isinstance(document, dict):
        raise _TemplateProblem(
            f"{path.name} must render a mapping (an object), not a {type(document).__name__}",
            where,
        )
    metadata = document.get("metadata")
    missing = [k for k in ("apiVersion", "kind") if not isinstance(document.get(k), str)]
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        missing.append("metadata.name")
    if missing:
        raise _TemplateProblem(
            f"{path.name} rendered an object without {', '.join(missing)}; every object "
            "needs apiVersion, kind and metadata.name",
            where,
        )
    assert isinstance(metadata, dict)
    _check_names(path, document["kind"], metadata)
    metadata.setdefault("namespace", namespace)
    return document


_KIND = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9._:]{0,251}[A-Za-z0-9])?")
_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")


def _check_names(path: Path, kind: str, metadata: dict[str, Any]) -> None:
    """A rendered object's kind, name and namespace, checked before they name
    files (``<kind>-<name>.yaml``): as Kubernetes checks them, so none can
    lead out of the output directory."""
    where = Location(str(path), 1)
    if not _KIND.fullmatch(kind.lower()):
        raise _TemplateProblem(
            f"{path.name} rendered kind {kind!r}, which is not a Kubernetes kind: letters, "
            "digits and '-', starting with a letter, 63 at most (for example ConfigMap)",
            where,
        )
    name, namespace = metadata["name"], metadata.get("namespace")
    if not _NAME.fullmatch(name):
        raise _TemplateProblem(
            f"{path.name} rendered metadata.name {name!r}, which cannot name a Kubernetes "
            "object: use lower-case letters, digits, '-' and '.' (a DNS subdomain), 253 at most",
            where,
        )
    if namespace is not None and not _NAMESPACE.fullmatch(str(namespace)):
        raise _TemplateProblem(
            f"{path.name} rendered metadata.namespace {namespace!r}, which is not a namespace "
            "name: lower-case letters, digits and '-' (a DNS label), 63 at most",
            where,
        )
