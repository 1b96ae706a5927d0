"""Environments: one app definition, several deployments of it (dev, staging, prod).

The environments are the values of a ``Literal`` type, so that mypy checks every
comparison and every mapping keyed by them, and the app is a function of one::

    Env = Literal["dev", "staging", "prod"]

    @environments(default="dev")
    def app(env: Env) -> App:
        shop = App("shop", namespace=f"shop-{env}")
        ...
        return shop

``tiers build app.py --env prod`` calls ``app("prod")``. The returned App is
checked like any other, so an override of the wrong type is reported with the
file, line, tier and field. Without ``--env``, the ``default`` environment is
built; with no default, tiers asks for ``--env`` and lists the environments.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Generic, Literal, TypeVar, get_args, get_origin, overload

from tiers.model.app import App

E = TypeVar("E", bound=str)


class Environments(Generic[E]):
    """An app for each of several environments: call it with one to get its App.

    ``names`` are the environments, in the order of the ``Literal``; ``default``
    is the one built when none is asked for (``None``: one must be asked for).
    """

    def __init__(self, make: Callable[[E], App], names: tuple[E, ...], default: E | None) -> None:
        self.make = make
        self.names = names
        self.default = default
        self.__doc__ = make.__doc__
        self.__name__ = getattr(make, "__name__", "app")

    def __call__(self, env: E) -> App:
        if env not in self.names:
            raise ValueError(f"unknown environment {env!r} (environments: {', '.join(self.names)})")
        return self.make(env)

    def __repr__(self) -> str:
        return f"Environments({self.__name__}, names={list(self.names)}, default={self.default!r})"


@overload
def environments(make: Callable[[E], App], /) -> Environments[E]: ...


@overload
def environments(
    *, default: str | None = None
) -> Callable[[Callable[[E], App]], Environments[E]]: ...


def environments(
    make: Callable[[E], App] | None = None, /, *, default: str | None = None
) -> Environments[E] | Callable[[Callable[[E], App]], Environments[E]]:
    """Declare ``make`` as an app with environments, the values of the ``Literal``
    its one parameter is annotated with. ``default`` (``None`` unless given) is
    the environment built when the command line names none.

    >>> from typing import Literal
    >>> from tiers import App
    >>> @environments(default="dev")
    ... def shop(env: Literal["dev", "prod"]) -> App:
    ...     return App("shop", namespace=f"shop-{env}")
    >>> shop.names, shop.default, shop("prod").namespace
    (('dev', 'prod'), 'dev', 'shop-prod')
    """

    def declare(function: Callable[[E], App]) -> Environments[E]:
        names = _literal_names(function)
        if default is not None and default not in names:
            raise ValueError(
                f"default environment {default!r} is not one of {', '.join(names)}: "
                f"add it to the Literal of {function.__name__}'s parameter"
            )
        return Environments(function, names, default)  # type: ignore[arg-type]

    return declare(make) if make is not None else declare


def _literal_names(function: Callable[..., App]) -> tuple[str, ...]:
    hints = typing.get_type_hints(function)
    hints.pop("return", None)
    annotation = next(iter(hints.values()), None) if len(hints) == 1 else None
    names = get_args(annotation) if get_origin(annotation) is Literal else ()
    if not names or not all(isinstance(n, str) for n in names):
        raise TypeError(
            f"{function.__name__}: annotate its one parameter with the environments, "
            "for example env: Literal['dev', 'staging', 'prod']"
        )
    return tuple(names)
