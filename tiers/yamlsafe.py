"""YAML that means exactly what it says.

Two halves: :func:`flow` writes any value as a YAML flow node for the
templates (a string always double-quoted, so ``yes``, ``0123`` or ``12:30``
stay strings), and :func:`dump` writes documents canonically, quoting every
string that a YAML 1.1 or 1.2 reader could take for something else.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

try:  # libyaml when it is there; the pure-Python classes give the same bytes
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

WIDTH = 1 << 20
"""Never fold long strings: a folded line is valid YAML but hard to diff."""

_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
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


class YamlText(str):
    """Text that is already valid YAML and must be written as is."""


def quote(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that reads back as the same string."""
    encoded = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: _escape(m.group()), encoded)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def flow(value: Any) -> YamlText:
    """Any value of the IR as a YAML flow node: strings quoted, mappings and
    sequences as ``{...}`` and ``[...]``, keys kept in their order."""
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


class Dumper(_BaseDumper):
    """PyYAML's safe dumper, quoting every ambiguous string."""


def _represent_str(dumper: Dumper, text: str) -> yaml.Node:
    style = '"' if needs_quotes(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


Dumper.add_representer(str, _represent_str)
Dumper.add_representer(YamlText, _represent_str)


def dump(document: Any) -> str:
    """One document as canonical YAML: block style, 2-space indent, keys in order."""
    return yaml.dump(
        document,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=WIDTH,
        indent=2,
    )


def load(text: str) -> Any:
    """Parse one YAML document with the safe loader (libyaml when available)."""
    return yaml.load(text, Loader=_BaseLoader)


def load_all(text: str) -> list[Any]:
    """Parse a YAML stream into its documents."""
    return [doc for doc in yaml.load_all(text, Loader=_BaseLoader) if doc is not None]
