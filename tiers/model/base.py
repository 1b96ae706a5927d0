"""The decorator behind every model class: a dataclass whose valid values
pydantic defines, that records its problems instead of raising them, so that
all of an app's mistakes can be reported at once.

pydantic is the definition of validity (strict types, no unknown fields), but
building its validators costs more than a small app's whole build, so it is
not done on the way to a valid app: each object's given values first pass
:func:`tiers.model.typecheck.checker`, which vouches only for plainly valid values,
and only when it cannot vouch for one is the class's pydantic validator built
(once per class) to validate them and give its error dicts.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from tiers.location import UNKNOWN, Location, caller_location
from tiers.model.typecheck import BAD, Check, checker

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover
    from typing_extensions import dataclass_transform

T = TypeVar("T")

CONFIG = {
    "extra": "forbid",
    "arbitrary_types_allowed": True,
    "revalidate_instances": "never",
    "strict": True,
}
"""The pydantic config of every model class (``__pydantic_config__``)."""


@dataclass_transform(field_specifiers=(dataclasses.field,), eq_default=False)
def model(cls: type[T]) -> type[T]:
    """Make ``cls`` a validated dataclass that never raises on bad values.

    A value of the wrong type is kept, and the problem recorded, so that the
    validation stage can report it together with every other problem of the
    app, at the line where the object was created.
    """
    made = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    made.__pydantic_config__ = CONFIG  # type: ignore[attr-defined]
    made.__init__ = _tolerant(made)  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    made.__signature__ = _Signature()  # type: ignore[attr-defined]
    return made


def _tolerant(cls: type[Any]) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        where = caller_location()
        plan = plan_of(cls)
        values = plan.bind(args, kwargs)
        problems: tuple[dict[str, Any], ...] = ()
        if values is None:
            problems = plan.validate(self, args, kwargs)
        else:
            self.__dict__.update(values)
        object.__setattr__(self, "_defined_at", where)
        object.__setattr__(self, "_problems", problems)
        object.__setattr__(self, "_given", plan.given(args, kwargs))

    return __init__


def plan_of(cls: type[Any]) -> Plan:
    """How the model class ``cls`` takes its values (made on first use)."""
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS[cls] = Plan(cls)
    return found


class Plan:
    """How one model class takes its values: the quick check of each field,
    and pydantic's validator, built when first needed."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.fields = [f for f in dataclasses.fields(cls) if f.init]
        self.positional = [f.name for f in self.fields if not f.kw_only]
        annotations = _annotations(cls, {f.name for f in self.fields})
        self.checks: dict[str, Check] = {f.name: checker(annotations[f.name]) for f in self.fields}
        self.pydantic_init: Callable[..., None] | None = None

    def bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any] | None:
        """The object's values, when every given value passes its quick check
        and no field is missing or unknown; else ``None``."""
        if len(args) > len(self.positional):
            return None
        given = dict(zip(self.positional, args, strict=False))
        for name, value in kwargs.items():
            if name in given or name not in self.checks:
                return None
            given[name] = value
        for name, value in given.items():
            checked = self.checks[name](value)
            if checked is BAD:
                return None
            given[name] = checked
        return self._with_defaults(given)

    def _with_defaults(self, given: dict[str, Any]) -> dict[str, Any] | None:
        values = {}
        for f in self.fields:
            value = given[f.name] if f.name in given else _default(f)
            if value is dataclasses.MISSING:
                return None
            values[f.name] = value
        return values

    def given(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> frozenset[str]:
        """The names of the fields the user passed."""
        return frozenset(self.positional[: len(args)]) | frozenset(kwargs)

    def validate(
        self, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[dict[str, Any], ...]:
        """Let pydantic set ``obj``'s values; its problems, if any, with the
        values kept as given."""
        from pydantic import ValidationError

        try:
            self.pydantic()(obj, *args, **kwargs)
        except ValidationError as exc:
            _assign_leniently(self.cls, obj, args, kwargs)
            return tuple(dict(e) for e in exc.errors(include_url=False))
        return ()

    def pydantic(self) -> Callable[..., None]:
        """pydantic's ``__init__`` for the class: its validator, filling ``obj``."""
        if self.pydantic_init is None:
            import pydantic.dataclasses
            from pydantic_core import ArgsKwargs

            validator = pydantic.dataclasses.dataclass(eq=False)(self.cls).__pydantic_validator__

            def init(obj: Any, *args: Any, **kwargs: Any) -> None:
                validator.validate_python(ArgsKwargs(args, kwargs), self_instance=obj)

            self.pydantic_init = init
        return self.pydantic_init


_PLANS: dict[type[Any], Plan] = {}


def _annotations(cls: type[Any], names: set[str]) -> dict[str, Any]:
    """The annotations of the fields ``names``, each evaluated in the module of
    the class that declares it last; one that cannot be evaluated there is
    left to pydantic (the quick check vouches for nothing it does not know)."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        module = sys.modules.get(klass.__module__)
        namespace = vars(module) if module is not None else {}
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            if name in names:
                found[name] = _evaluated(annotation, namespace)
    return found


def _evaluated(annotation: Any, namespace: dict[str, Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, namespace)
    except Exception:
        return _UNKNOWN


_UNKNOWN = object()


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    """``Port(number=80, name=None, protocol='TCP')``, as a dataclass writes it."""
    shown = ", ".join(
        f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr
    )
    return f"{type(self).__qualname__}({shown})"


class _Signature:
    """The class's ``__signature__``, as a dataclass's ``__init__`` would have it,
    made when asked for (by ``help()`` or an editor)."""

    def __get__(self, obj: object, owner: type[Any]) -> inspect.Signature:
        return inspect.Signature([_parameter(f) for f in dataclasses.fields(owner) if f.init])


def _parameter(f: dataclasses.Field[Any]) -> inspect.Parameter:
    kind = inspect.Parameter.KEYWORD_ONLY if f.kw_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
    default: Any = inspect.Parameter.empty
    if f.default is not dataclasses.MISSING:
        default = f.default
    elif f.default_factory is not dataclasses.MISSING:
        default = f.default_factory
    return inspect.Parameter(f.name, kind, default=default, annotation=f.type)


def _assign_leniently(
    cls: type[Any], obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    positional = list(args)
    for f in dataclasses.fields(cls):
        if not f.kw_only and positional:
            value = positional.pop(0)
        elif f.name in kwargs:
            value = kwargs[f.name]
        else:
            value = _default(f)
            value = None if value is dataclasses.MISSING else value
        object.__setattr__(obj, f.name, value)


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


def _default(f: dataclasses.Field[Any]) -> Any:
    """The value a field takes when not given, or ``dataclasses.MISSING``."""
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_FIELD_CLASSES = 1 << 10


def field_names(value: object) -> tuple[str, ...] | None:
    """The names of the dataclass fields of ``value``, in order, as
    ``dataclasses.fields`` gives them; ``None`` when ``value`` is no dataclass
    instance (a class is none). Looked up once per class: the checks that walk
    every value of an app ask it of every object."""
    kind = type(value)
    found = _FIELD_NAMES.get(kind, _FIELD_NAMES)
    if found is not _FIELD_NAMES:
        return found  # type: ignore[return-value]
    names = None
    if dataclasses.is_dataclass(kind) and not isinstance(value, type):
        names = tuple(f.name for f in dataclasses.fields(kind))
    if len(_FIELD_NAMES) >= _FIELD_CLASSES:
        _FIELD_NAMES.clear()
    _FIELD_NAMES[kind] = names
    return names
