"""PyYAML behind :mod:`tiers.yamlsafe`: the reference for canonical output,
and the reader and writer of anything the fast paths leave out.

Imported only when needed, so that a build whose documents all take the fast
paths never loads PyYAML.
"""

from __future__ import annotations

from typing import Any

import yaml

from tiers.yamlsafe import WIDTH, YamlText, needs_quotes

try:  # libyaml when it is there; the pure-Python classes give the same bytes
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


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


def scalar(text: str) -> str | None:
    """How :func:`dump` writes ``text`` as a value, or ``None`` when that takes
    several lines (and so depends on where the value stands)."""
    if any(c in text for c in "\n\x85\u2028\u2029"):
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
