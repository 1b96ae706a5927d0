"""Problems recorded when the user's objects were created: wrong types,
missing or unknown fields. Reported together with everything else."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.location import Location
from tiers.model import app as model
from tiers.model.base import defined_at, field_names, problems
from tiers.model.configmap import ConfigMap, ConfigMapKey


def construction_problems(app: model.App) -> tuple[list[Diagnostic], set[int]]:
    """Diagnostics for every badly built object, and the ids of the broken tiers."""
    found: list[Diagnostic] = []
    broken: set[int] = set()
    found.extend(_added_twice(app))
    for tier in app.tiers:
        if not isinstance(tier, model.Tier):
            found.append(_not_a_tier(app, tier))
            broken.add(id(tier))
            continue
        before = len(found)
        found.extend(_object_problems(tier, _tier_name(tier), ""))
        if len(found) > before:
            broken.add(id(tier))
    for external in app.externals:
        found.extend(_object_problems(external, None, ""))
    for route in [*app.ingresses, *app.routes]:
        found.extend(_object_problems(route, None, ""))
    return found, broken


def app_problems(app: model.App) -> list[Diagnostic]:
    """Diagnostics for an :class:`~tiers.model.app.App` built with values of the wrong type."""
    return [
        error(
            "invalid-value",
            f"App(...) needs a string for {name} (got {_short(value)})",
            field=name,
            location=defined_at(app),
        )
        for name, value in vars(app).items()
        if name in ("name", "namespace", "cluster_domain") and not isinstance(value, str)
    ]


def _added_at(app: model.App, item: object) -> Location:
    """The line of the ``app.add(item)`` call (the App's when it was not added so)."""
    added: dict[int, Location] = getattr(app, "_added", {})
    return added.get(id(item), defined_at(app))


def _not_a_tier(app: model.App, item: object) -> Diagnostic:
    return error(
        "not-a-tier",
        f"app.add() takes a Tier (Backend, MySQL, ...) or an ExternalService, "
        f"not {type(item).__name__} {_short(item)}",
        location=_added_at(app, item),
    )


def _added_twice(app: model.App) -> Iterator[Diagnostic]:
    """The same object given to ``app.add`` again (or listed twice by hand)."""
    again: list[tuple[object, Location]] = list(getattr(app, "_added_again", []))
    seen: set[int] = set()
    for tier in app.tiers:
        if id(tier) in seen:
            again.append((tier, defined_at(app)))
        seen.add(id(tier))
    for item, where in again:
        name = getattr(item, "name", "?")
        yield error(
            "duplicate-add",
            f"{type(item).__name__} '{name}' is added twice (first at {_added_at(app, item)}): "
            f"add each object once; for a second tier like it, make a new one "
            f"({type(item).__name__}('{name}-2', ...))",
            tier=name if isinstance(name, str) else None,
            location=where,
        )


def _short(value: object) -> str:
    if isinstance(value, model.Tier) and isinstance(value.name, str):
        return f"{type(value).__name__} '{value.name}', a tier"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _endpoint_hint(value: object) -> str:
    """What to write instead of a tier (or one of its Services) given as a value."""
    if isinstance(value, model.ServiceEndpoint):
        ref = repr(value)
    elif isinstance(value, model.Tier) and isinstance(value.name, str):
        ref = value.name
    else:
        return ""
    return (
        f" A tier or Service is not a value: write {ref}.host (its DNS name), "
        f"{ref}.url() or {ref}.port_ref()"
    )


def _tier_name(tier: object) -> str | None:
    name = getattr(tier, "name", None)
    return name if isinstance(name, str) else None


def _object_problems(obj: object, tier: str | None, prefix: str) -> Iterator[Diagnostic]:
    for problem in _merge_unions(problems(obj)):
        yield _diagnostic(obj, tier, prefix, problem)
    if not dataclasses.is_dataclass(obj):
        return
    for name in field_names(obj) or [f.name for f in dataclasses.fields(obj)]:
        value = getattr(obj, name, None)
        if type(value) not in _LEAVES:
            yield from _nested(value, tier, _join(prefix, name))


_LEAVES = frozenset({str, int, bool, float, type(None)})
"""Values that hold no model object."""


def _nested(value: object, tier: str | None, path: str) -> Iterator[Diagnostic]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nested(item, tier, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, ConfigMapKey):
                item = item.config_map
            if isinstance(item, ConfigMap):
                yield from _object_problems(item, tier, f"{path}.{key}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, model.Tier):
        yield from _object_problems(value, tier, path)


def _merge_unions(found: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """One problem per field: pydantic reports a bad value of a union field
    once per member type (``env.X.str``, ``env.X.is-instance[HostRef]``, ...)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for problem in found:
        if len(problem["loc"]) > 1 and _is_member_tag(problem["loc"][-1]):
            groups.setdefault(tuple(problem["loc"])[:-1], []).append(problem)
    merged = []
    for problem in found:
        group = groups.get(tuple(problem["loc"])[:-1], [])
        if len(group) < 2 or problem not in group:
            merged.append(problem)
        elif group[0] is problem:
            choices = dict.fromkeys(_alternative(str(p["loc"][-1])) for p in group)
            merged.append(
                {
                    "type": "union",
                    "loc": problem["loc"][:-1],
                    "input": problem.get("input"),
                    "msg": f"expects {_one_of(list(choices))}",
                }
            )
    return merged


_ALTERNATIVES = {
    "str": "a string",
    "int": "an integer",
    "bool": "True or False",
    "none": "None",
    "list": "a list",
    "dict": "a dict",
}


_MEMBER_CLASSES = frozenset(
    {"Port", "ServicePort", "Service", "HostRef", "PortRef", "UrlRef", "AddressRef"}
    | {"SecretKeyRef", "ConfigMapKeyRef", "DevSecret", "NotSecret", "Probes", "Probe"}
)


def _one_of(choices: list[str]) -> str:
    if len(choices) < 2:
        return "".join(choices)
    return f"{', '.join(choices[:-1])} or {choices[-1]}"


def _is_member_tag(tag: object) -> bool:
    """True for the tags pydantic gives a union's members (``str``, ``is-instance[HostRef]``)."""
    if not isinstance(tag, str):
        return False
    base = tag.split("[", 1)[0]
    return base in {*_ALTERNATIVES, "is-instance", "json-or-python"} or tag in _MEMBER_CLASSES


def _alternative(tag: str) -> str:
    instance = re.search(r"is-instance\[(\w+)\]", tag)
    if instance is not None:
        name = instance.group(1)
        if name.endswith("Ref"):
            return "a reference (tier.host, tier.port_ref(), tier.url())"
        if name == "ConfigMapKey":
            return "a ConfigMap key (config_map.key(...))"
        return f"{name}(...)"
    base = tag.split("[", 1)[0]
    return _ALTERNATIVES.get(base, f"a {base}")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


FIELDS_LISTED = 15
"""A class with this many fields or fewer has them listed when one is unknown."""


def _diagnostic(obj: object, tier: str | None, prefix: str, problem: dict[str, Any]) -> Diagnostic:
    kind = type(obj).__name__
    fields = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    loc = list(problem["loc"])
    if loc and isinstance(loc[0], int) and loc[0] < len(fields):
        loc[0] = fields[loc[0]]  # a positional argument, by its field's name
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
        listed = f" Its fields: {', '.join(fields)}." if len(fields) <= FIELDS_LISTED else ""
        return f"{kind}(...) has no field '{name}'.{did_you_mean(name, fields)}{listed}"
    if kind_of_problem == "unexpected_positional_argument":
        return f"{kind}(...) takes its other fields by keyword (for example {fields[1]}=...)"
    hint = _literal_hint(problem) if kind_of_problem == "literal_error" else ""
    hint += _endpoint_hint(problem.get("input"))
    return f"{problem['msg']} (got {_short(problem.get('input'))}).{hint}".removesuffix(".")


def _literal_hint(problem: dict[str, Any]) -> str:
    choices = re.findall(r"'([^']*)'", str(problem.get("ctx", {}).get("expected", "")))
    given = str(problem.get("input"))
    same = [c for c in choices if c.lower() == given.lower()]
    return f" Did you mean '{same[0]}'?" if same else did_you_mean(given, choices)
