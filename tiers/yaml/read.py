"""Read what templates write, without a general YAML parser for the common case.

A template writes block mappings and sequences, one entry a line, whose values
are words written in the template itself (``kind: Deployment``) or flow nodes
written by :func:`tiers.yaml.scalars.flow` (``name: "web"``, ``labels: {"app":
"web"}``), which are JSON. :func:`load` reads exactly that, with the meaning
PyYAML gives it, and raises :class:`Unsupported` on anything else (a block
scalar, a flow node that is not JSON, an anchor, a tab, a value over several
lines, a character PyYAML reads differently from JSON), so that the caller
hands the whole document to PyYAML.
"""

from __future__ import annotations

import functools
import json
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from tiers.yaml import SLOT
from tiers.yaml.scalars import is_plain

_KEY = re.compile(r'(?:([A-Za-z0-9_][A-Za-z0-9_./-]*)|"([^"\\]*)"):(?: +|$)')
"""A block mapping entry: a plain key, or a double-quoted one without escapes
(as ``{{ name }}:`` writes it), and its value on the line or below it."""

_ODD_ASCII = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_ODD = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
"""Characters that YAML and JSON read differently, or that YAML refuses. The
full pattern is compiled on first use, for text that is not all ASCII."""

_SURROGATE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89abAB]")
"""A ``\\uD800``-``\\uDFFF`` escape (not an escaped backslash before ``u``)."""
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,999})")
_NOT_A_SCALAR = tuple("-?:,[]{}#&*!|>%@`")
_SCALARS = (str, int, float, bool, type(None))
_WORDS: dict[str, Any] = {
    **dict.fromkeys(["~", "null", "Null", "NULL"]),
    **dict.fromkeys(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], True),
    **dict.fromkeys(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], False),
}
"""YAML 1.1 booleans and nulls, as PyYAML's safe loader reads them."""

_CACHE_SIZE = 1 << 12
_MISSING = object()
_plain_cache: dict[str, Any] = dict(_WORDS)


@functools.cache
def _odd() -> re.Pattern[str]:
    return re.compile(_ODD)


class Unsupported(Exception):
    """The text uses YAML beyond what templates write; PyYAML must read it."""


def load_slotted(text: str, values: list[Any]) -> Any:
    """The document ``text`` holds, each :data:`SLOT` in it (a whole key or a
    whole scalar) standing for the next of ``values``, as :func:`read_back` of
    it: what ``text`` with each value written by :func:`~tiers.yaml.scalars.flow`
    in place of its slot reads as. The values never pass through text, and a
    text met before (a template's objects differ in their values alone) is not
    read again: its document is kept with the places of its slots, and filled.

    Raises :class:`Unsupported` when ``text`` is outside what :func:`load`
    reads, a slot is anywhere else (inside a word, a flow node), a value is
    not one :func:`read_back` knows, or the slots and values do not pair up.
    """
    found = _kept.get(text)
    if found is None:
        reader = _read(text, slots=True)
        found = (reader.document, reader.taken)
        if len(_kept) >= _KEPT:
            _kept.clear()
        _kept[text] = found
    document, count = found
    if count != len(values):
        raise Unsupported
    return _filled(document, values)


class _Slot:
    """Where a slot is in a document: the ``index`` of its value, and whether
    it is a ``key``."""

    __slots__ = ("index", "key")

    def __init__(self, index: int, key: bool) -> None:
        self.index, self.key = index, key


_KEPT = 1 << 8
_kept: dict[str, tuple[Any, int]] = {}
"""Texts of templates read with slots → (their document with a :class:`_Slot`
at each slot, the number of slots)."""


def _filled(node: Any, values: list[Any]) -> Any:
    """A new copy of ``node`` with each :class:`_Slot` filled with its value."""
    kind = type(node)
    if kind is dict:
        return {
            (_filled(k, values) if type(k) is _Slot else k): (
                v if type(v) in _LEAVES else _filled(v, values)
            )
            for k, v in node.items()
        }
    if kind is list:
        return [v if type(v) in _LEAVES else _filled(v, values) for v in node]
    if kind is _Slot:
        value = read_back(values[node.index])
        if node.key and type(value) not in _KEYS:
            raise Unsupported  # PyYAML refuses a key that is a collection
        return value
    return node


_LEAVES = frozenset({str, int, bool, float, type(None)})
"""What a document holds that is no container and no slot: shared by its copies."""


def read_back(value: Any) -> Any:
    """What :func:`~tiers.yaml.scalars.flow`'s node of ``value`` reads back as,
    for the values templates are given: a string, an integer, a boolean or
    ``None`` as itself, a dict with its keys as strings, a list or tuple as a
    list (each a new one); :class:`Unsupported` for anything else."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {str(k): read_back(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [read_back(v) for v in value]
    raise Unsupported


def load(text: str) -> Any:
    """The document ``text`` holds, as PyYAML's safe loader reads it.

    Raises :class:`Unsupported` when the text is outside the subset read here.
    """
    return _read(text, slots=False).document


def _read(text: str, slots: bool) -> _Reader:
    """``text`` read whole; with ``slots``, each :data:`SLOT` as a :class:`_Slot`."""
    if (_ODD_ASCII if text.isascii() else _odd()).search(text):
        raise Unsupported
    lines = []
    for raw in text.split("\n"):
        content = raw.lstrip(" ")
        if content and content[0] != "#":
            lines.append((len(raw) - len(content), content))
    reader = _Reader(lines, slots)
    if lines:
        indent, content = lines[0]
        reader.document = reader.collection(indent, content)
    if reader.next < len(lines):
        raise Unsupported
    return reader


_KEYS = (str, int, bool, type(None))
"""What a slot in a key may stand for: the scalars a key reads back as."""


class _Reader:
    def __init__(self, lines: list[tuple[int, str]], slots: bool) -> None:
        self.lines = lines
        self.next = 0
        self.slots = slots
        self.taken = 0
        self.document: Any = None

    def slotted(self, value: Any, key: bool = False) -> Any:
        """``value``, or a :class:`_Slot` when it is a slot."""
        if not self.slots or value != SLOT:
            return value
        self.taken += 1
        return _Slot(self.taken - 1, key)

    def collection(self, indent: int, content: str) -> Any:
        if content[0] == "-" and content[1:2] in (" ", ""):
            return self.sequence(indent)
        if _KEY.match(content):
            return self.mapping(indent)
        raise Unsupported

    def mapping(self, indent: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        lines, entry = self.lines, _entry
        count = len(lines)
        while self.next < count:
            at, content = lines[self.next]
            if at < indent:
                break
            found = entry(content)
            if at > indent or found is None:
                raise Unsupported
            self.next += 1
            key, kind, value = found
            if self.slots:
                key = self.slotted(key, key=True)
            if kind is _BELOW:
                result[key] = self.below(indent)
                continue
            result[key] = self.slotted(value) if kind is _SCALAR else _json(value)
            if self.next < count and lines[self.next][0] > indent:
                raise Unsupported  # the value would go on over the next line
        return result

    def below(self, indent: int) -> Any:
        """The value of a ``key:`` with nothing after it: the block below, or null."""
        if self.next == len(self.lines):
            return None
        at, content = self.lines[self.next]
        if at > indent or (at == indent and content[0] == "-" and content[1:2] in (" ", "")):
            return self.collection(at, content)
        return None

    def sequence(self, indent: int) -> list[Any]:
        result: list[Any] = []
        lines = self.lines
        while self.next < len(lines):
            at, content = lines[self.next]
            if at != indent or content[0] != "-" or content[1:2] not in (" ", ""):
                if at > indent:
                    raise Unsupported
                break
            item = content[1:].lstrip(" ")
            if not item:
                raise Unsupported
            column = at + len(content) - len(item)
            if (item[0] == "-" and item[1:2] in (" ", "")) or _KEY.match(item):
                lines[self.next] = (column, item)
                result.append(self.collection(column, item))
            else:
                self.next += 1
                result.append(self.slotted(_scalar(item)))
                self.end_of_scalar(indent)
        return result

    def end_of_scalar(self, indent: int) -> None:
        """A line indented deeper than its parent after a value would continue it."""
        if self.next < len(self.lines) and self.lines[self.next][0] > indent:
            raise Unsupported


_BELOW, _SCALAR, _FLOW = "below", "scalar", "flow"


def _entry(content: str) -> tuple[Any, str, Any] | None:
    """A mapping entry's line read: (key, ``_BELOW``, None) for a value on the
    lines below, (key, ``_SCALAR``, value), or (key, ``_FLOW``, text) for a
    flow mapping or sequence, read afresh each time (its value is mutable);
    ``None`` when the line is no entry."""
    match = _KEY.match(content)
    if match is None:
        return None
    rest = content[match.end() :]
    if not rest:
        return _key(match), _BELOW, None
    if rest[0] in "{[":
        return _key(match), _FLOW, rest
    return _key(match), _SCALAR, _scalar(rest)


def _key(entry: re.Match[str]) -> Any:
    plain = entry[1]
    return entry[2] if plain is None else _plain(plain)


def _scalar(token: str) -> Any:
    if token[0] in '"{[':
        return _json(token)
    return _plain(token.rstrip(" "))


def _refuse(_: str) -> Any:
    raise Unsupported  # YAML 1.1 reads floats by other rules than JSON


_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder(parse_float=_refuse, parse_constant=_refuse)  # type: ignore[arg-type]
)


def _json(token: str) -> Any:
    if "\\u" in token and _SURROGATE.search(token):
        raise Unsupported  # JSON joins surrogate pairs, YAML does not
    try:
        value, end = _scan(token, 0)
    except (ValueError, StopIteration):
        raise Unsupported from None
    if end != len(token) and token[end:].strip(" "):
        raise Unsupported
    return value


def _plain(token: str) -> Any:
    value = _plain_cache.get(token, _MISSING)
    if value is not _MISSING:
        return value
    value = _resolve(token)
    if len(_plain_cache) >= _CACHE_SIZE:
        _plain_cache.clear()
        _plain_cache.update(_WORDS)
    _plain_cache[token] = value
    return value


def _resolve(token: str) -> Any:
    if _INT.fullmatch(token):
        return int(token)
    if is_plain(token):
        return token
    if token.startswith(_NOT_A_SCALAR):
        raise Unsupported
    from tiers.yaml.pyyaml import load

    value = load(token)
    if not isinstance(value, _SCALARS):
        raise Unsupported
    return value
