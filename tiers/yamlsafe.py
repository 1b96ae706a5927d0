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

try:  # libyaml when it is there; PureDumper below writes the same bytes without it
    from yaml import CSafeDumper as _LibyamlBase
    from yaml import CSafeLoader as _BaseLoader

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _LibyamlBase  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    LIBYAML = False

WIDTH = 1 << 20
"""Never fold long strings: a folded line is valid YAML but hard to diff."""

_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
"""What :func:`quote` escapes beyond JSON: non-printable characters, the line
breaks YAML knows and JSON does not (U+0085, U+2028, U+2029), and U+FEFF."""
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
_LIBYAML_ESCAPES = re.compile("[\x85\U00010000-\U0010ffff]")
"""Characters libyaml only writes escaped (in double quotes) and PyYAML's
pure-Python emitter would write raw: quoting them makes both write the same."""
_LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
"""What libyaml counts as a line break (PyYAML's pure emitter forgets ``\r``)."""
SIMPLE_KEY_BYTES = 128
"""libyaml writes a key as ``key:`` up to this many UTF-8 bytes, as ``? key`` beyond."""


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


def _represent_str(dumper: yaml.representer.SafeRepresenter, text: str) -> yaml.Node:
    quoted = needs_quotes(text) or _LIBYAML_ESCAPES.search(text) is not None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if quoted else None)


class PureDumper(yaml.SafeDumper):
    """PyYAML's pure-Python safe dumper, made to write the bytes libyaml writes:
    keys are decided the way libyaml decides them, and anchors never written."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def check_simple_key(self) -> bool:
        event = self.event
        if not isinstance(event, yaml.ScalarEvent):
            return bool(super().check_simple_key())
        if _LINE_BREAKS.search(event.value):
            return False
        length = len(event.value.encode("utf-8"))
        if event.tag is not None and not any(event.implicit):
            length += len(self.prepare_tag(event.tag))
        return length <= SIMPLE_KEY_BYTES


class LibyamlDumper(_LibyamlBase):
    """libyaml's safe dumper, never writing anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


for _dumper in (PureDumper, LibyamlDumper):
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(YamlText, _represent_str)

Dumper: type[PureDumper | LibyamlDumper] = LibyamlDumper if LIBYAML else PureDumper
"""The dumper :func:`dump` uses: libyaml's when PyYAML was built with it (faster),
else the pure-Python one. Both quote every ambiguous string and write the same bytes."""


def dump(document: Any, dumper: type[PureDumper | LibyamlDumper] | None = None) -> str:
    """One document as canonical YAML: block style, 2-space indent, keys in order.

    ``dumper`` defaults to :data:`Dumper`; :class:`PureDumper` and
    :class:`LibyamlDumper` write the same bytes.
    """
    return yaml.dump(
        document,
        Dumper=dumper or Dumper,
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
