"""Values written once: what several tiers share, and literals too long for their line.

- An image registry (an image up to its last ``/``) that several images name
  becomes a constant, ``REGISTRY = "gcr.io/google-samples/microservices-demo"``
  (``<LAST PART>_REGISTRY`` when there are several), and each image an
  f-string on it: ``image=f"{REGISTRY}/emailservice:v0.8.0"``.
- The ``resources`` or ``security`` that several tiers write alike
  become one value: ``BACKEND_RESOURCES = Resources(...)`` when the tiers
  sharing it are all of one kind, else ``RESOURCES`` (``RESOURCES_2``, ...).
- A list or mapping inside a literal (a patch's, mostly) that does not fit on
  its line gets a name, defined just before its tier:
  ``redis_pod = {"containers": redis_containers, "volumes": redis_volumes}`` and
  ``Patch("Deployment", {"spec": {"template": {"spec": redis_pod}}})``.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections import Counter
from typing import Any

from tiers.importer.codegen import (
    INDENT,
    LINE_LENGTH,
    Atom,
    Bracket,
    Item,
    Names,
    Node,
    call,
    flat,
    layout,
    registry,
    string,
    width,
    written,
)
from tiers.importer.plan import variable
from tiers.model.app import ExternalService, Tier

SHARED_FIELDS = ("resources", "security")
"""Tier fields whose values are plain settings: one object may serve several tiers."""
_WRAPPERS = ("spec", "template", "jobTemplate")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def constants(declared: list[ExternalService | Tier], names: Names) -> list[list[str]]:
    """The definitions of the registries and values several tiers share, each
    entered in ``names`` so that the tiers are written with them."""
    statements = _registries(declared, names)
    groups: dict[tuple[str, str], list[Tier]] = {}
    values: dict[tuple[str, str], Any] = {}
    for tier in declared:
        if not isinstance(tier, Tier):
            continue
        for field, node in written(tier, names, SHARED_FIELDS):
            key = (field, flat(node))
            groups.setdefault(key, []).append(tier)
            values.setdefault(key, getattr(tier, field))
    shared = {key: users for key, users in groups.items() if len(users) > 1}
    taken: set[str] = set()
    for key, users in shared.items():
        constant = _constant(key[0], users, taken)
        for tier in users:
            names[id(getattr(tier, key[0]))] = constant
        statements.append(layout(call(values[key], names), 0, f"{constant} = "))
    return statements


def _registries(declared: list[ExternalService | Tier], names: Names) -> list[list[str]]:
    counted = Counter(head for image in _images(declared, names) if (head := registry(image)[0]))
    heads = sorted(head for head, count in counted.items() if count > 1)
    taken: set[str] = set()
    for head in heads:
        last = _upper(head.rsplit("/", 1)[-1])
        base = "REGISTRY" if len(heads) == 1 else f"{last}_REGISTRY"
        names.registries[head] = _unique(base, taken)
    return [[f"{names.registries[head]} = {string(head)}"] for head in heads]


def _images(declared: list[ExternalService | Tier], names: Names) -> list[str]:
    """The images the tiers write: their own, and their containers' (the
    model objects in their lists: sidecars, init containers)."""
    found = []
    for tier in declared:
        held = [getattr(tier, f.name) for f in dataclasses.fields(type(tier))]
        inside = [v for value in held if isinstance(value, list) for v in value if _container(v)]
        for obj in [tier, *inside]:
            image = getattr(obj, "image", None)
            if isinstance(image, str) and written(obj, names, ("image",)):
                found.append(image)
    return found


def _container(value: object) -> bool:
    """A model object a tier holds in a list, not another tier it names (``calls``)."""
    named = isinstance(value, (Tier, ExternalService, type))
    return dataclasses.is_dataclass(value) and not named


def _constant(field: str, users: list[Tier], taken: set[str]) -> str:
    kinds = {type(t) for t in users}
    (kind,) = kinds if len(kinds) == 1 else (Tier,)
    base = _upper(field) if kind is Tier else f"{_upper(kind.__name__)}_{_upper(field)}"
    return _unique(base, taken)


def _upper(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").upper() or "SHARED"


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


class Parts:
    """The literals named on the way (:func:`shorten`), as definitions."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.statements: list[list[str]] = []

    def define(self, name: str, node: Node) -> Atom:
        found = variable(name, self.taken)
        self.statements.append(layout(node, 0, f"{found} = "))
        return Atom(found)


def shorten(node: Node, depth: int, prefix: str, path: tuple[str, ...], parts: Parts) -> Node:
    """``node`` (its items at ``depth``) with each list or mapping inside a
    literal that would not fit on its line named ``<prefix>_<its key>``."""
    if isinstance(node, Atom):
        return node
    inside = _is_literal(node)
    items = []
    for index, item in enumerate(node.items):
        child = item.node
        named = inside and (_is_literal(child) or isinstance(child, Atom))
        where = (*path, _key(item, index)) if named else path
        line = f"{INDENT * depth}{item.lead}"
        if _is_literal(child) and width(f"{line}{flat(child)},") <= LINE_LENGTH:
            pass  # the literal fits on its line: nothing in it needs a name
        elif inside and isinstance(child, Bracket) and _is_literal(child):
            child = shorten(child, 1, prefix, where, parts)  # as written on its own
            if isinstance(child, Bracket) and width(f"{line}{flat(child)},") > LINE_LENGTH:
                child = _name(child, where, prefix, parts, line)
        else:
            child = shorten(child, depth + 1, prefix, where, parts)
        items.append(dataclasses.replace(item, node=child))
    return dataclasses.replace(node, items=tuple(items))


def _name(node: Bracket, path: tuple[str, ...], prefix: str, parts: Parts, line: str) -> Node:
    """``node`` named; through a chain of wrappers (``{"template": {"spec": ...}}``)
    the value at its end is named instead, when the chain then fits ``line``."""
    inner = node.items[0].node if len(node.items) == 1 else None
    key = _key(node.items[0], 0) if inner is not None else ""
    if not isinstance(inner, Bracket) or key not in _WRAPPERS or not _is_literal(inner):
        return parts.define(f"{prefix}_{_label(path)}", node)
    named = _name(inner, (*path, key), prefix, parts, line)
    chain = dataclasses.replace(node, items=(dataclasses.replace(node.items[0], node=named),))
    if width(f"{line}{flat(chain)},") <= LINE_LENGTH:
        return chain
    return parts.define(f"{prefix}_{_label(path)}", chain)


def _is_literal(node: Node) -> bool:
    return isinstance(node, Bracket) and not node.head and node.open in "[{"


def _key(item: Item, index: int) -> str:
    """A mapping item's key, or a list item's name (its ``name`` field) or number."""
    if item.lead.endswith(": "):
        return str(ast.literal_eval(item.lead[:-2]))
    node = item.node
    for inner in node.items if isinstance(node, Bracket) else ():
        if inner.lead == '"name": ' and isinstance(inner.node, Atom):
            return str(ast.literal_eval(inner.node.text))
    return str(index + 1)


def _label(path: tuple[str, ...]) -> str:
    """A name for the value at ``path``: its last key that is no wrapper
    (``pod`` for a pod template's spec), after its list's key if it is a number."""
    if path[-2:] == ("template", "spec"):
        return "pod"
    keys = [p for p in path if p not in _WRAPPERS] or list(path)
    label = keys[-1] if not keys[-1].isdigit() or len(keys) < 2 else f"{keys[-2]}_{keys[-1]}"
    return _CAMEL.sub("_", label).lower()
