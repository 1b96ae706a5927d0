"""The decorator behind every model class: a pydantic dataclass that records
its problems instead of raising them, so that all of an app's mistakes can be
reported at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic
from pydantic import ConfigDict, Field, ValidationError
from typing_extensions import dataclass_transform

from tiers.location import UNKNOWN, Location, caller_location

T = TypeVar("T")

_CONFIG = ConfigDict(
    extra="forbid",
    arbitrary_types_allowed=True,
    revalidate_instances="never",
    strict=True,
)


@dataclass_transform(field_specifiers=(dataclasses.field, Field), eq_default=False)
def model(cls: type[T]) -> type[T]:
    """Make ``cls`` a validated dataclass that never raises on bad values.

    A value of the wrong type is kept, and the problem recorded, so that the
    validation stage can report it together with every other problem of the
    app, at the line where the object was created.
    """
    validated = pydantic.dataclasses.dataclass(config=_CONFIG, eq=False)(cls)
    validated.__init__ = _tolerant(validated, validated.__init__)  # type: ignore[method-assign]
    return validated  # type: ignore[return-value]


def _tolerant(cls: type[Any], validated_init: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        where = caller_location()
        problems: tuple[dict[str, Any], ...] = ()
        try:
            validated_init(self, *args, **kwargs)
        except ValidationError as exc:
            _assign_leniently(cls, self, args, kwargs)
            problems = tuple(dict(e) for e in exc.errors(include_url=False))
        object.__setattr__(self, "_defined_at", where)
        object.__setattr__(self, "_problems", problems)
        object.__setattr__(self, "_given", _given_names(cls, len(args), kwargs))

    __init__.__doc__ = validated_init.__doc__
    return __init__


def _assign_leniently(
    cls: type[Any], obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    positional = list(args)
    for f in dataclasses.fields(cls):
        if not f.kw_only and positional:
            value = positional.pop(0)
        elif f.name in kwargs:
            value = kwargs[f.name]
        elif f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            value = None
        object.__setattr__(obj, f.name, value)


def _given_names(cls: type[Any], positional: int, kwargs: dict[str, Any]) -> frozenset[str]:
    names = [f.name for f in dataclasses.fields(cls) if not f.kw_only][:positional]
    return frozenset(names) | frozenset(kwargs)


def given(obj: object) -> frozenset[str]:
    """The fields the user passed when creating ``obj`` (not left to their defaults)."""
    found: object = getattr(obj, "_given", frozenset())
    return found if isinstance(found, frozenset) else frozenset()


def defined_at(obj: object) -> Location:
    """The user's line that created ``obj``."""
    where = getattr(obj, "_defined_at", UNKNOWN)
    return where if isinstance(where, Location) else UNKNOWN


def problems(obj: object) -> tuple[dict[str, Any], ...]:
    """The validation problems recorded when ``obj`` was created."""
    found = getattr(obj, "_problems", ())
    return found if isinstance(found, tuple) else ()
