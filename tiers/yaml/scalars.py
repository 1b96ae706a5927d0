"""YAML that means exactly what it says.

Two halves: :func:`flow` writes any value as a YAML flow node for the
templates (a string always double-quoted, so ``yes``, ``0123`` or ``12:30``
stay strings), and :func:`dump` writes documents canonically, quoting every
string that a YAML 1.1 or 1.2 reader could take for something else.
"""

from __future__ import annotations

import functools
import json
import re
from json.encoder import encode_basestring
from typing import Any

WIDTH = 1 << 20
"""Never fold long strings: a folded line is valid YAML but hard to diff."""

_NON_PRINTABLE = (
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
"""What :func:`quote` escapes beyond JSON: non-printable characters, the line
breaks YAML knows and JSON does not (U+0085, U+2028, U+2029), and U+FEFF.
Compiled on first use: compiling it costs more than most builds ever need it."""
_WORDS = frozenset(
    [
        "y",
        "n",
        "yes",
        "no",
        "true",
        "false",
        "on",
        "off",
        "null",
        "~",
        "nan",
        "inf",
        ".nan",
        ".inf",
        "-.inf",
        "+.inf",
    ]
)
_NUMBERISH = re.compile(r"^[-+]?(\.?[0-9]|\.(inf|nan)$)", re.IGNORECASE)
_PLAIN = re.compile(r"[A-Za-z_/](?:[A-Za-z0-9_./@+=,-]| (?=[^ #])|:(?=[^ :]))*")
"""Plain scalars as PyYAML writes them in block context: no indicator first,
no ``: `` or `` #``, no trailing space or colon, printable ASCII only."""


class YamlText(str):
    """Text that is already valid YAML and must be written as is."""


def quote(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back as the same string."""
    encoded = encode_basestring(text)  # what json.dumps(text, ensure_ascii=False) gives
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    return _non_printable().sub(lambda m: _escape(m.group()), encoded)


@functools.cache
def _non_printable() -> re.Pattern[str]:
    return re.compile(_NON_PRINTABLE)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_FLOWED = 1 << 14
_flowed: dict[str, YamlText] = {}
"""String → its flow node: names, namespaces and label keys repeat."""


def flow(value: Any) -> YamlText:
    """Any value of the IR as a YAML flow node: strings quoted, mappings and
    sequences as ``{...}`` and ``[...]``, keys kept in their order."""
    kind = type(value)
    if kind is str:
        found = _flowed.get(value)
        if found is None:
            if len(_flowed) >= _FLOWED:
                _flowed.clear()
            found = _flowed[value] = YamlText(quote(value))
        return found
    if kind is dict:
        items = ", ".join([f"{flow(str(k))}: {flow(v)}" for k, v in value.items()])
        return YamlText("{" + items + "}")
    if kind is int:
        return YamlText(str(value))
    return _flow_other(value)


def _flow_other(value: Any) -> YamlText:
    if isinstance(value, YamlText):
        return value
    if isinstance(value, str):
        return YamlText(quote(value))
    if value is None or isinstance(value, (bool, int)):
        return YamlText(json.dumps(value))
    if isinstance(value, dict):
        items = ", ".join(f"{flow(str(k))}: {flow(v)}" for k, v in value.items())
        return YamlText("{" + items + "}")
    if isinstance(value, (list, tuple)):
        return YamlText("[" + ", ".join(flow(v) for v in value) + "]")
    raise TypeError(f"cannot write {type(value).__name__} into a manifest")


def needs_quotes(text: str) -> bool:
    """True for strings a YAML reader could take for a bool, null or number."""
    return text.lower() in _WORDS or bool(_NUMBERISH.match(text))


def is_plain(text: str) -> bool:
    """True when ``text``, written without quotes, reads back as the same string
    and is how the canonical dump writes it."""
    return _PLAIN.fullmatch(text) is not None and not needs_quotes(text)
