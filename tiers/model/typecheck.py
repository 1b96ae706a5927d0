"""A quick check of a model field's value against its annotation, that needs
no pydantic.

pydantic defines which values are valid (see :mod:`tiers.model.base`). This
module only recognises the values that are plainly valid for the annotations
the model uses: exact ``str``, ``int`` and ``bool``, ``None``, ``Literal``
choices, lists and dicts of those, model objects, and ``InstanceOf[...]``.
Anything else, even a value pydantic would accept, is :data:`BAD`, and the
model asks pydantic instead. A value that passes is returned as pydantic
would keep it: lists and dicts copied, everything else as it was given.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, Union

BAD: Any = object()
"""What a :data:`Check` returns for a value it cannot vouch for."""

Check = Callable[[Any], Any]
"""A value → the value as pydantic would keep it, or :data:`BAD`."""

_PATH = type(Path())
_EXACT = (str, int, bool, type(None))


def checker(annotation: Any) -> Check:
    """The :data:`Check` of an annotation; unknown annotations give one that
    vouches for nothing."""
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return _anything
    if annotation in _EXACT:
        return _exact(annotation)
    if annotation is Path:
        return _exact(_PATH)
    if origin is Literal:
        return _literal(typing.get_args(annotation))
    if origin in (Union, types.UnionType):
        return _union([checker(a) for a in typing.get_args(annotation)])
    if origin is list:
        return _list(checker(typing.get_args(annotation)[0]))
    if origin is dict:
        key, value = typing.get_args(annotation)
        return _dict(checker(key), checker(value))
    if origin is Annotated:
        return _annotated(annotation)
    if isinstance(annotation, type) and hasattr(annotation, "__pydantic_config__"):
        return _exact(annotation)
    return _nothing


def _anything(value: Any) -> Any:
    return value


def _nothing(value: Any) -> Any:
    return BAD


def _exact(kind: type) -> Check:
    def check(value: Any) -> Any:
        return value if type(value) is kind else BAD

    return check


def _literal(choices: tuple[Any, ...]) -> Check:
    allowed = {(type(c), c) for c in choices if type(c) in _EXACT}

    def check(value: Any) -> Any:
        return value if type(value) in _EXACT and (type(value), value) in allowed else BAD

    return check


def _union(members: list[Check]) -> Check:
    def check(value: Any) -> Any:
        for member in members:
            result = member(value)
            if result is not BAD:
                return result
        return BAD

    return check


def _list(item: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not list:
            return BAD
        items = [item(v) for v in value]
        return BAD if any(i is BAD for i in items) else items

    return check


def _dict(key: Check, item: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not dict:
            return BAD
        pairs = [(key(k), item(v)) for k, v in value.items()]
        return BAD if any(k is BAD or v is BAD for k, v in pairs) else dict(pairs)

    return check


class InstanceOf:
    """``InstanceOf[X]``: any instance of ``X``, as pydantic's ``InstanceOf``
    (which builds its schema), without importing pydantic until then."""

    def __class_getitem__(cls, item: Any) -> Any:
        return Annotated[item, cls()]

    def __repr__(self) -> str:
        return "InstanceOf()"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        import pydantic

        real: Any = pydantic.InstanceOf
        return real.__get_pydantic_core_schema__(source, handler)


def _annotated(annotation: Any) -> Check:
    """``InstanceOf[X]`` (``Annotated[X, InstanceOf()]``): any instance of X."""
    kind, *metadata = typing.get_args(annotation)
    if len(metadata) != 1 or not isinstance(metadata[0], InstanceOf):
        return _nothing
    if not isinstance(kind, type):
        return _nothing

    def check(value: Any) -> Any:
        return value if isinstance(value, kind) else BAD

    return check
