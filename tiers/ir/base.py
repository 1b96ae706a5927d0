"""The IR's common ground: :class:`_Record` (equality and ``repr`` written
once), :class:`Meta` and :func:`field_path`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


class _Record:
    """Equality and ``repr`` of the IR's dataclasses, written once: a dataclass
    would generate and compile both for each class at import, which costs more
    than a small app's whole build. Equal when of one type with equal fields;
    unhashable, as a mutable dataclass is."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            getattr(self, f.name) == getattr(other, f.name)
            for f in fields(self)  # type: ignore[arg-type]
            if f.compare
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)  # type: ignore[arg-type]
            if f.repr
        )
        return f"{type(self).__qualname__}({shown})"


@dataclass(slots=True, repr=False, eq=False)
class Meta(_Record):
    """An object's ``metadata``: name, namespace, labels and annotations."""

    name: str
    namespace: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)


def field_path(origin: str, attr: str) -> str:
    """The user's field for ``attr`` of an element that came from ``origin``."""
    return f"{origin}.{attr}" if origin else attr
