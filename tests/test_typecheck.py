"""The quick check of model values (tiers.model.typecheck) never accepts what
pydantic rejects, and keeps what it accepts as pydantic would.

pydantic is the definition of a valid model object. For values of every kind,
right and wrong (nested objects, unions, Literals, None, bool for int,
subclasses, lists and dicts holding bad items), given by position or keyword,
unknown or missing: when the quick check accepts the values, pydantic accepts
them too and keeps the same values; and the object's recorded problems are
pydantic's error dicts, whichever way it went.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import subprocess
import sys
import types
import typing
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tiers.model import base as modelbase
from tiers.model.refs import AddressRef, HostRef, PortRef, UrlRef
from tiers.model.typecheck import BAD, checker

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "configmap",
    "connections",
    "ingress",
    "kinds",
    "app",
    "parts",
    "route",
    "scaling",
    "secrets",
    "security",
]


def _model_classes() -> list[type[Any]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(f"tiers.model.{name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and "__pydantic_config__" in vars(value)
            and value.__module__ == module.__name__
        ]
    return found


CLASSES = _model_classes()


class Color(enum.IntEnum):
    RED = 1


class Name(str):
    pass


class Number(int):
    pass


def _tier() -> Any:
    from tiers import Tier

    return Tier("t", image="i:1")


class SubHostRef(HostRef):
    pass


def _valid(annotation: Any) -> Any:
    """A value of ``annotation`` that pydantic accepts, for required fields."""
    origin = typing.get_origin(annotation)
    simple = {str: "x", int: 1, bool: True, type(None): None, Any: {}}
    if annotation in simple:
        return simple[annotation]
    if annotation is Path:
        return Path("a")
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin in (Union, types.UnionType):
        return _valid(typing.get_args(annotation)[0])
    if origin is list:
        return []
    if origin is dict:
        return {}
    if origin is Annotated:
        return _instance_of(typing.get_args(annotation)[0])
    return _build(annotation)


def _instance_of(kind: type[Any]) -> Any:
    if kind in (HostRef, PortRef, UrlRef, AddressRef):
        return kind(_tier())
    if kind.__name__ == "Endpoint":  # a Tier is one
        return _tier()
    return _build(kind)


def _build(cls: type[Any]) -> Any:
    plan = modelbase.plan_of(cls)
    annotations = _annotations(cls)
    required = {
        f.name: _valid(annotations[f.name])
        for f in plan.fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    return cls(**required)


def _annotations(cls: type[Any]) -> dict[str, Any]:
    plan = modelbase.plan_of(cls)
    return modelbase._annotations(cls, {f.name for f in plan.fields})


def _anything() -> st.SearchStrategy[Any]:
    """Values of every kind, most of them wrong for any one field."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 70000),
        st.floats(allow_nan=False),
        st.text(max_size=4),
        st.sampled_from(["TCP", "tcp", "ClusterIP", "Prefix", "AlwaysAllow", "RuntimeDefault"]),
        st.just(b"x"),
        st.just(Color.RED),
        st.just(Name("n")),
        st.just(Number(3)),
        st.just(Path("p")),
        st.just(PurePosixPath("p")),
        st.sampled_from(CLASSES).map(_build),
        st.sampled_from([HostRef, PortRef, UrlRef, AddressRef, SubHostRef]).map(
            lambda k: k(_tier())
        ),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner),
            st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=3),
        ),
        max_leaves=6,
    )


_ANYTHING = _anything()
_KEYS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.just(Name("k")), st.just(Color.RED), st.tuples()
)


def _values(annotation: Any) -> st.SearchStrategy[Any]:
    """Values meant for ``annotation``: right ones, with wrong ones mixed in
    at every level."""
    return st.one_of(_right(annotation), _ANYTHING)


@functools.cache
def _right(annotation: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (Union, types.UnionType):
        return st.one_of([_right(a) for a in args])
    if origin is list:
        return st.lists(st.deferred(lambda: _values(args[0])), max_size=3)
    if origin is dict:
        keys = st.one_of(_right(args[0]), _KEYS)
        return st.dictionaries(keys, st.deferred(lambda: _values(args[1])), max_size=3)
    if origin is Annotated:
        return st.just(args[0]).map(_instance_of)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=4),
        int: st.integers(-3, 70000),
        bool: st.booleans(),
        type(None): st.none(),
        Path: st.just(Path("q")),
        Any: _ANYTHING,
    }
    if annotation in simple:
        return simple[annotation]
    return st.just(annotation).map(_build)


@st.composite
def _arguments(draw: st.DrawFn, cls: type[Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    plan = modelbase.plan_of(cls)
    annotations = _annotations(cls)
    required = [
        f.name
        for f in plan.fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    names = [name for name in required if draw(st.integers(0, 9)) > 0]
    others = [f.name for f in plan.fields if f.name not in required]
    if others:
        names += draw(st.lists(st.sampled_from(others), max_size=3, unique=True))
    values = {name: draw(_values(annotations[name])) for name in names}
    values = {f.name: values[f.name] for f in plan.fields if f.name in values}
    if draw(st.integers(0, 9)) == 0:
        values["colour"] = "blue"
    count = draw(st.integers(0, len(plan.positional) + 1))
    args = []
    for name in plan.positional[:count]:
        if name not in values:
            break
        args.append(values.pop(name))
    if count > len(plan.positional) and len(args) == len(plan.positional):
        args.append("extra")
    return tuple(args), values


def _shape(value: Any) -> Any:
    """The value's types all the way down, and its text."""
    if isinstance(value, list):
        return (list, [_shape(v) for v in value])
    if isinstance(value, dict):
        return (type(value), [(_shape(k), _shape(v)) for k, v in value.items()])
    return (type(value), repr(value))


def _pydantic(cls: type[Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """pydantic's verdict: its error dicts, or the values it keeps."""
    obj = object.__new__(cls)
    try:
        modelbase.plan_of(cls).pydantic()(obj, *args, **kwargs)
    except ValidationError as exc:
        return [dict(e) for e in exc.errors(include_url=False)]
    return {f.name: vars(obj)[f.name] for f in modelbase.plan_of(cls).fields}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_quick_check_accepts_only_what_pydantic_accepts(cls: type[Any], data: Any) -> None:
    args, kwargs = data.draw(_arguments(cls))
    quick = modelbase.plan_of(cls).bind(args, kwargs)
    verdict = _pydantic(cls, args, kwargs)
    if quick is not None:
        assert isinstance(verdict, dict), f"pydantic rejects what was accepted: {verdict}"
        assert _shape(quick) == _shape(verdict)
        given_values = dict(zip(modelbase.plan_of(cls).positional, args, strict=False)) | kwargs
        for name, value in given_values.items():
            assert (quick[name] is value) == (verdict[name] is value), name
    made = cls(*args, **kwargs)
    assert list(modelbase.problems(made)) == ([] if isinstance(verdict, dict) else verdict)


ANNOTATIONS = sorted({repr(a): a for cls in CLASSES for a in _annotations(cls).values()}.items())


@functools.lru_cache
def _adapter(name: str, annotation: Any) -> Any:
    from pydantic import ConfigDict, TypeAdapter

    own = isinstance(annotation, type) and hasattr(annotation, "__pydantic_config__")
    config = None if own else ConfigDict(**modelbase.CONFIG)  # type: ignore[typeddict-item]
    return TypeAdapter(annotation, config=config)


@pytest.mark.parametrize("annotation", [a for _, a in ANNOTATIONS], ids=[n for n, _ in ANNOTATIONS])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_each_annotation_alone(annotation: Any, data: Any) -> None:
    """Field by field, with the right kind of value more often."""
    value = data.draw(st.one_of(_right(annotation), _values(annotation)))
    quick = checker(annotation)(value)
    if quick is BAD:
        return
    kept = _adapter(repr(annotation), annotation).validate_python(value)
    assert _shape(quick) == _shape(kept)


def test_bool_is_no_int_and_subclasses_go_to_pydantic() -> None:
    from tiers import Port

    assert checker(int)(True) is BAD
    assert checker(int)(Number(3)) is BAD
    assert checker(str)(Name("n")) is BAD
    assert checker(Literal[False])(0) is BAD
    assert checker(Port | int)(Port(80)) is not BAD
    port = Port(True)
    assert modelbase.problems(port)[0]["type"] == "int_type"


def test_a_valid_app_is_built_without_pydantic() -> None:
    code = (
        "import sys\n"
        "from tiers.compiler import build_yaml\n"
        "from tiers.loader import load_app\n"
        f"build_yaml(load_app({str(ROOT / 'examples' / 'multi_tier.py')!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_an_annotation_the_quick_check_cannot_read_is_left_to_pydantic() -> None:
    def define() -> tuple[type[Any], type[Any]]:
        class Local:
            pass

        @modelbase.model
        class Thing:
            part: Local
            count: int = 0

        return Thing, Local

    thing, local = define()
    assert modelbase.plan_of(thing).bind((local(),), {}) is None  # pydantic decides
    assert modelbase.plan_of(thing).bind((), {"count": 2}) is None  # part is missing
