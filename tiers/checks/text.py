"""Every string an app holds is text that YAML (UTF-8) can carry.

Python strings can hold what no file can: lone surrogates (``'\\udcff'``,
which ``os.fsdecode`` and ``errors="surrogateescape"`` make of bytes that
are not UTF-8). Each string of each tier (names, env values, annotations,
the keys and values of patches) and of the app is checked here, before
anything is rendered, so that the YAML writer never meets one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, error
from tiers.model.app import Tier
from tiers.model.base import defined_at, field_names


def check_text(context: Context) -> Iterator[Diagnostic]:
    """No string of the app is outside UTF-8."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        for path, value in _strings(written, "", {id(written)}) if written is not None else []:
            yield context.error("text-invalid", _problem(value), tier, path)
    app = context.app
    for path, value in _strings(app, "", {id(app)}):
        yield error("text-invalid", _problem(value), field=path, location=defined_at(app))


def _problem(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        return (
            f"holds {bad!r} at position {exc.start}, which is not a character: UTF-8 (and "
            "so YAML) cannot carry it. It comes from bytes that are not UTF-8, decoded with "
            "errors='surrogateescape' (a file name, say): decode them as the text they are"
        )
    return ""


def _strings(obj: Any, prefix: str, seen: set[int]) -> Iterator[tuple[str, str]]:
    """(path, value) of each string in ``obj``'s fields that UTF-8 cannot carry."""
    names = field_names(obj) or [n for n in vars(obj) if not n.startswith("_")]
    for name in names:
        value = getattr(obj, name, None)
        if not _plainly_text(value):
            yield from _inside(value, f"{prefix}{name}", seen)


def _plainly_text(value: Any) -> bool:
    """True for a value with no string UTF-8 cannot carry that needs no walk:
    ``None``, a number, an ASCII string (most of an app's values)."""
    kind = type(value)
    return value is None or kind is int or kind is bool or (kind is str and value.isascii())


def _inside(value: Any, path: str, seen: set[int]) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if _problem(value):
            yield path, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if not _plainly_text(item):
                yield from _inside(item, f"{path}[{index}]", seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            if _plainly_text(key) and _plainly_text(item):
                continue
            yield from _inside(key, f"{path} (a key)", seen)
            shown = ascii(key) if isinstance(key, str) and _problem(key) else str(key)
            yield from _inside(item, f"{path}.{shown}", seen)
    elif _is_model(value) and id(value) not in seen:
        seen.add(id(value))
        yield from _strings(value, f"{path}.", seen)


def _is_model(value: Any) -> bool:
    """A model object inside a tier (another tier, one a reference points at, is
    checked as itself)."""
    return field_names(value) is not None and not isinstance(value, Tier)
