"""PyYAML behind :mod:`tiers.yaml.scalars`: the reference for canonical output,
and the reader and writer of anything the fast paths leave out.

Imported only when needed, so that a build whose documents all take the fast
paths never loads PyYAML.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from tiers.yaml.scalars import WIDTH, YamlText, needs_quotes

try:  # libyaml when it is there; PureDumper below writes the same bytes without it
    from yaml import CSafeDumper as _LibyamlBase
    from yaml import CSafeLoader as _BaseLoader

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _LibyamlBase  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    LIBYAML = False

_LIBYAML_ESCAPES = re.compile("[\x85\U00010000-\U0010ffff]")
"""Characters libyaml only writes escaped (in double quotes) and PyYAML's
pure-Python emitter would write raw: quoting them makes both write the same."""
_LINE_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")
"""What libyaml counts as a line break (PyYAML's pure emitter forgets ``\r``)."""
SIMPLE_KEY_BYTES = 128
"""libyaml writes a key as ``key:`` up to this many UTF-8 bytes, as ``? key`` beyond."""


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


def scalar(text: str) -> str | None:
    """How :func:`dump` writes ``text`` as a value, or ``None`` when that takes
    several lines (and so depends on where the value stands). A text with
    ``\n`` that PyYAML writes double-quoted, its breaks escaped, stays on one
    line; the breaks it writes raw (U+0085, U+2028, U+2029) are followed by
    indentation, so they are never taken."""
    if any(c in text for c in "\x85\u2028\u2029"):
        return None
    written = dump([text])
    if written.count("\n") != 1:
        return None
    return written[2:-1]


def load(text: str) -> Any:
    """Parse one YAML document with the safe loader (libyaml when available)."""
    return yaml.load(text, Loader=_BaseLoader)


def load_all(text: str) -> list[Any]:
    """Parse a YAML stream into its documents."""
    return [doc for doc in yaml.load_all(text, Loader=_BaseLoader) if doc is not None]
