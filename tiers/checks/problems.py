"""Problems recorded when the user's objects were created: wrong types,
missing or unknown fields. Reported together with everything else."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from tiers import model
from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.modelbase import defined_at, problems


def construction_problems(app: model.App) -> tuple[list[Diagnostic], set[int]]:
    """Diagnostics for every badly built object, and the ids of the broken tiers."""
    found: list[Diagnostic] = []
    broken: set[int] = set()
    for tier in app.tiers:
        before = len(found)
        found.extend(_object_problems(tier, _tier_name(tier), ""))
        if len(found) > before:
            broken.add(id(tier))
    for external in app.externals:
        found.extend(_object_problems(external, None, ""))
    return found, broken


def _tier_name(tier: object) -> str | None:
    name = getattr(tier, "name", None)
    return name if isinstance(name, str) else None


def _object_problems(obj: object, tier: str | None, prefix: str) -> Iterator[Diagnostic]:
    for problem in merged_problems(obj, problems(obj)):
        yield _diagnostic(obj, tier, prefix, problem)
    if not dataclasses.is_dataclass(obj):
        return
    for f in dataclasses.fields(obj):
        yield from _nested(getattr(obj, f.name, None), tier, _join(prefix, f.name))


def _nested(value: object, tier: str | None, path: str) -> Iterator[Diagnostic]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nested(item, tier, f"{path}[{index}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, model.Tier):
        yield from _object_problems(value, tier, path)


def merged_problems(obj: object, found: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One problem per value: pydantic reports a value that fits no member of a
    union once per member (``env.A.str``, ``env.A.is-instance[HostRef]``, ...);
    those become one problem at the value's own path."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for problem in found:
        groups.setdefault(_value_loc(obj, tuple(problem["loc"])), []).append(problem)
    return [_union_problem(loc, group) for loc, group in groups.items()]


def _value_loc(obj: object, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of ``loc`` that walks through the user's data; what follows
    names union members."""
    if not loc or not isinstance(loc[0], str):
        return loc
    value: Any = getattr(obj, loc[0], None)
    depth = 1
    for part in loc[1:]:
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if not (in_list or (isinstance(value, dict) and part in value)):
            return loc[:depth]
        value, depth = value[part], depth + 1
    return loc


def _union_problem(loc: tuple[Any, ...], group: list[dict[str, Any]]) -> dict[str, Any]:
    if len(group) == 1:
        return {**group[0], "loc": loc}
    prefix = "Input should be "
    wanted = dict.fromkeys(p["msg"].removeprefix(prefix) for p in group)
    return {**group[0], "loc": loc, "type": "union", "msg": prefix + " or ".join(wanted)}


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _diagnostic(obj: object, tier: str | None, prefix: str, problem: dict[str, Any]) -> Diagnostic:
    kind = type(obj).__name__
    fields = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    loc = [
        fields[p] if isinstance(p, int) and p < len(fields) and len(problem["loc"]) == 1 else p
        for p in problem["loc"]
    ]
    path = _join(prefix, _loc_path(loc))
    return error(
        "invalid-value",
        _message(kind, problem, loc, fields),
        tier=tier,
        field=path or None,
        location=defined_at(obj),
    )


def _loc_path(loc: list[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(kind: str, problem: dict[str, Any], loc: list[Any], fields: list[str]) -> str:
    kind_of_problem = problem["type"]
    if kind_of_problem == "missing":
        return f"is required by {kind}(...)"
    if kind_of_problem == "unexpected_keyword_argument":
        name = str(loc[-1])
        return f"{kind}(...) has no field '{name}'.{did_you_mean(name, fields)}"
    if kind_of_problem == "unexpected_positional_argument":
        return f"{kind}(...) takes its other fields by keyword (for example {fields[1]}=...)"
    got = repr(problem.get("input"))
    if len(got) > 60:
        got = got[:57] + "..."
    return f"{problem['msg']} (got {got})"
