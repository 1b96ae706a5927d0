"""Kubernetes resource quantities (``250m``, ``1.5``, ``256Mi``, ``1e3``),
parsed exactly as the API server's grammar reads them."""

from __future__ import annotations

import re
from decimal import Decimal

_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$"
)
_SUFFIXES = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    **{s: Decimal(1024) ** (i + 1) for i, s in enumerate(["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"])},
}


def parse_quantity(text: str) -> Decimal:
    """The value of a quantity; raises ``ValueError`` when ``text`` is not one.

    >>> parse_quantity("250m"), parse_quantity("1Ki")
    (Decimal('0.250'), Decimal('1024'))
    """
    match = _QUANTITY.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a Kubernetes quantity")
    suffix = match["suffix"] or ""
    number = Decimal(match["number"])
    if suffix[:1] in ("e", "E"):
        return number * Decimal(10) ** int(suffix[1:])
    return number * _SUFFIXES[suffix]


def larger(first: str, second: str) -> str:
    """The larger of two quantities (``first`` when either does not parse)."""
    try:
        return second if parse_quantity(second) > parse_quantity(first) else first
    except ValueError:
        return first
