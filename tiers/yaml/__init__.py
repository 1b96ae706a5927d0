"""YAML that means exactly what it says: the one entry point for writing
(:func:`dump`) and the one for reading (:func:`load`, :func:`load_all`).

``scalars`` decides how a string must be written (and
:func:`~tiers.yaml.scalars.flow` writes a value for the templates); ``emit`` and
``read`` are the fast paths for what manifests and templates hold; ``pyyaml`` is
PyYAML, imported only when a fast path cannot answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

SLOT = "__tiers_value__"
"""What a template writes in place of each value when its values are given
apart (:func:`load_slotted`): a plain word that no template writes itself."""

if TYPE_CHECKING:
    from tiers.yaml.pyyaml import LibyamlDumper, PureDumper


def dump(document: Any, dumper: type[PureDumper | LibyamlDumper] | None = None) -> str:
    """One document as canonical YAML: block style, 2-space indent, keys in
    their order, ambiguous strings double-quoted; the same bytes whether or not
    libyaml is installed.

    ``dumper`` defaults to none: the document is written directly by
    :mod:`tiers.yaml.emit` when it can be, else by
    :data:`tiers.yaml.pyyaml.Dumper`. Passing :class:`~tiers.yaml.pyyaml.PureDumper`
    or :class:`~tiers.yaml.pyyaml.LibyamlDumper` writes it with that PyYAML dumper;
    all of them write the same bytes.
    """
    if dumper is None:
        from tiers.yaml import emit as yamlemit

        written = yamlemit.dump(document)
        if written is not None:
            return written
    from tiers.yaml import pyyaml as yamlref

    return yamlref.dump(document, dumper)


def load(text: str) -> Any:
    """Parse one YAML document as PyYAML's safe loader does; what templates
    write is read without PyYAML, anything else with it."""
    from tiers.yaml import read as yamlread

    try:
        return yamlread.load(text)
    except yamlread.Unsupported:
        pass
    from tiers.yaml import pyyaml as yamlref

    return yamlref.load(text)


def load_slotted(text: str, values: list[Any]) -> Any:
    """The document of a template written with its values apart: ``text``
    holding :data:`SLOT` for each of ``values``, in order; it reads as the text
    with each value written by :func:`~tiers.yaml.scalars.flow` would, and
    ``None`` when it cannot be read so (a slot inside a word, a value of a
    kind templates are not given): the caller writes the values in and calls
    :func:`load`."""
    from tiers.yaml import read as yamlread

    try:
        return yamlread.load_slotted(text, values)
    except yamlread.Unsupported:
        return None


def load_all(text: str) -> list[Any]:
    """Parse a YAML stream into its documents."""
    from tiers.yaml import pyyaml as yamlref

    return yamlref.load_all(text)
