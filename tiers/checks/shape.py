"""Values no check could walk: a list or dict that holds itself, or one
nested deeper than :data:`MAX_DEPTH` levels.

Every later step (the checks, the renderer, the YAML writer) walks the app's
values; a value that holds itself would take them round forever, one
nested thousands deep past Python's recursion limit. They are found here
first, each at its tier and field, and the app goes no further.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model.base import defined_at, field_names

MAX_DEPTH = 100
"""Levels of lists, dicts and objects a value may nest (a Patch's included)."""

MAX_VALUES = 1_000_000
"""Values a tier (or the app) may hold in all, counting each time a shared
one is met again: a few lists that each hold the one below many times over
are billions of values once written out."""


def shape_problems(app: model.App) -> list[Diagnostic]:
    """A diagnostic for each value of ``app`` that holds itself or nests too deep."""
    found: list[Diagnostic] = []
    for tier in app.tiers:
        name = getattr(tier, "name", None)
        for path, problem in _walk(tier, "", [], 0, [MAX_VALUES]):
            found.append(
                error(
                    "value-shape",
                    problem,
                    tier=name if isinstance(name, str) else None,
                    field=path,
                    location=defined_at(tier),
                )
            )
    for path, problem in _walk(app, "", [], 0, [MAX_VALUES]):
        found.append(error("value-shape", problem, field=path, location=defined_at(app)))
    return found


def _walk(
    value: Any, path: str, above: list[int], depth: int, budget: list[int]
) -> Iterator[tuple[str, str]]:
    """Problems below ``value``; ``above`` its containers, ``budget`` the values
    still to be met before there are too many."""
    budget[0] -= 1
    if budget[0] == -1:
        field = re.match(r"[^.\[]*(\[\d+\])?", path)
        top = field.group(0) if field else path
        yield top, f"makes more than {MAX_VALUES:,} values in all: build it smaller"
    if budget[0] < 0:
        return
    if depth and isinstance(value, model.Tier):
        return  # a reference to a tier (its own, in before=[...], say): walked as itself
    if depth > MAX_DEPTH:
        shown = path if len(path) <= 80 else f"{path[:80]}..."
        yield shown, f"is nested more than {MAX_DEPTH} levels deep: flatten it"
        return
    if id(value) in above:
        yield path, "holds itself (a list or dict inside itself): Kubernetes objects are trees"
        return
    children = _children(value, depth)
    if not children:
        return
    above.append(id(value))
    for item, index, step in children:
        if type(item) in _LEAVES and depth < MAX_DEPTH and budget[0] > 0:
            budget[0] -= 1  # what walking it would do, without the walk
            continue
        where = f"{path}[{step}]" if index else f"{path}.{step}" if path else str(step)
        yield from _walk(item, where, above, depth + 1, budget)
    above.pop()


_LEAVES = frozenset({str, int, bool, float, type(None)})
"""Values that hold nothing: walking one only counts it."""


def _children(value: Any, depth: int) -> list[tuple[Any, bool, Any]]:
    """(child, whether it is a list item, its index, key or field) of ``value``."""
    if isinstance(value, (list, tuple)):
        return [(item, True, index) for index, item in enumerate(value)]
    if isinstance(value, dict):
        return [(item, False, key) for key, item in value.items()]
    if depth == 0 or _is_model(value):
        return [(getattr(value, name, None), False, name) for name in _fields(value)]
    return []


def _fields(value: Any) -> list[str] | tuple[str, ...]:
    names = field_names(value)
    if names is not None:
        return names
    return [n for n in vars(value) if not n.startswith("_")] if hasattr(value, "__dict__") else []


def _is_model(value: Any) -> bool:
    """A model object inside a tier (another tier is walked as itself)."""
    return field_names(value) is not None and not isinstance(value, model.Tier)
