"""References written into strings outside env values: an error, never text.

A reference inside a string is a token (:mod:`tiers.composed`) that the
compiler resolves in env values only. In any other field (an image, a label,
an arg, a ConfigMap's data) it would reach the manifest as text it does not
mean, so it is an error that names the field and the fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model import composed
from tiers.model.base import defined_at, field_names
from tiers.model.refs import REFS

_FIX = (
    "references are resolved in env values only: set it as an env var "
    "(env={'ADDR': ...}) and write $(ADDR) in command or args, which Kubernetes expands"
)


def check_references_outside_env(context: Context) -> Iterator[Diagnostic]:
    """No reference token in any string of a tier but its env values, nor in
    the app's Ingresses, HTTPRoutes and external Services."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for field in _holding(written, ""):
            message = f"holds a reference inside a string; {_FIX}"
            yield context.error("reference-outside-env", message, tier, field)
    app = context.app
    for item in [*app.ingresses, *app.routes, *app.externals]:
        for field in _holding(item, ""):
            message = f"{type(item).__name__} {field} holds a reference inside a string; {_FIX}"
            yield error("reference-outside-env", message, location=defined_at(item))


def _holding(obj: object, path: str) -> Iterator[str]:
    """The fields of a model object whose strings hold a token."""
    env_apart = isinstance(obj, model.Tier | model.Container)
    for name in field_names(obj) or ():
        if name == "env" and env_apart:
            continue
        value = getattr(obj, name, None)
        if not _leaf(value):
            yield from _in(value, f"{path}.{name}" if path else name)


def _leaf(value: object) -> bool:
    """A value that holds no token: ``None``, a number, or a string without one."""
    kind = type(value)
    if kind is str:
        return not composed.holds_reference(value)  # type: ignore[arg-type]
    return value is None or kind is int or kind is bool


def _in(value: object, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if composed.holds_reference(value):
            yield path
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if not _leaf(item):
                yield from _in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _leaf(key):
                yield from _in(key, path)
            if not _leaf(item):
                yield from _in(item, f"{path}.{key}")
    elif field_names(value) is not None and not isinstance(value, (model.Endpoint, *REFS)):
        yield from _holding(value, path)
