"""Canonical YAML written directly, without building PyYAML's node graph.

:func:`dump` gives the same bytes as the PyYAML dumper of :mod:`tiers.yaml.pyyaml`
(block style, 2-space indent, sequences not indented inside mappings, keys in
their order, ambiguous strings double-quoted), several times faster. It covers
what manifests hold: mappings with string keys, lists, strings, ints, bools
and ``None``. Anything else (a float, a list directly inside a list, a key of
128 characters or more, a string PyYAML would write on several lines, the
same mapping twice) makes it return ``None``, and the caller uses PyYAML.

Strings are looked up in a cache: most repeat (keys, namespaces, protocols).
A string is written plain when it plainly reads back as itself, double-quoted
when :func:`tiers.yaml.scalars.needs_quotes` says so, and otherwise the way PyYAML
writes it on its own, asked once per string.
"""

from __future__ import annotations

import re
from typing import Any

from tiers.yaml.scalars import is_plain, needs_quotes

_QUOTABLE = re.compile(r"[\x20-\x21\x23-\x5b\x5d-\x7e]*")
"""Strings whose double-quoted form is themselves between quotes: printable
ASCII without ``"`` or ``\\``."""

_LONGEST_KEY = 127
_ASCII = re.compile(r"[\x20-\x7e]*")
"""PyYAML writes longer keys, and keys with breaks or special characters, as
complex keys (``? key``); only printable ASCII keys are written here."""

_LONGEST_STRING = 1 << 16
"""Far below the line width, so that no string is ever folded."""

_CACHE_SIZE = 1 << 17
_cache: dict[str, str | None] = {}


class _Unsupported(Exception):
    """The document holds something only PyYAML writes; fall back to it."""


def dump(document: Any) -> str | None:
    """``document`` as canonical YAML, or ``None`` when PyYAML must write it."""
    if type(document) is not dict or not document:
        return None
    out: list[str] = []
    try:
        _mapping(document, "", out, set())
    except _Unsupported:
        return None
    return "".join(out)


def _mapping(mapping: dict[Any, Any], indent: str, out: list[str], seen: set[int]) -> None:
    """The entries of a non-empty mapping; the first key's indent is already written
    when the mapping is an item of a sequence."""
    _once(mapping, seen)
    first = True
    for key, value in mapping.items():
        if type(key) is not str or len(key) > _LONGEST_KEY or not _ASCII.fullmatch(key):
            raise _Unsupported
        if not first:
            out.append(indent)
        first = False
        out.append(_string(key))
        _value(value, indent, out, seen)


def _value(value: Any, indent: str, out: list[str], seen: set[int]) -> None:
    kind = type(value)
    if kind is dict and value:
        out.append(":\n" + indent + "  ")
        _mapping(value, indent + "  ", out, seen)
    elif kind is list and value:
        out.append(":\n")
        _sequence(value, indent, out, seen)
    else:
        out.append(": ")
        out.append(_scalar(value))
        out.append("\n")


def _sequence(items: list[Any], indent: str, out: list[str], seen: set[int]) -> None:
    _once(items, seen)
    for item in items:
        kind = type(item)
        out.append(indent + "- ")
        if kind is dict and item:
            _mapping(item, indent + "  ", out, seen)
        elif kind is list and item:
            raise _Unsupported
        else:
            out.append(_scalar(item))
            out.append("\n")


def _once(collection: dict[Any, Any] | list[Any], seen: set[int]) -> None:
    """PyYAML writes a collection met twice as an anchor and an alias."""
    if id(collection) in seen:
        raise _Unsupported
    seen.add(id(collection))


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is dict:
        return "{}"
    if kind is list:
        return "[]"
    raise _Unsupported


def _string(text: str) -> str:
    written = _cache.get(text)
    if written is None:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        written = _cache[text] = _write_string(text)
        if written is None:
            raise _Unsupported
    return written


def _write_string(text: str) -> str | None:
    if is_plain(text):
        return text
    if needs_quotes(text) and _QUOTABLE.fullmatch(text):
        return f'"{text}"'
    if len(text) > _LONGEST_STRING:
        return None
    from tiers.yaml.pyyaml import scalar

    return scalar(text)
