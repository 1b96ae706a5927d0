"""References inside longer strings: ``f"jdbc:mysql://{db.address()}/shop"``.

A reference written into a string (an f-string, ``+``, ``str.format``, ``%``)
becomes a *token* (:func:`tiers.model.refs.token`): two private-use
characters around a number that stands for the reference. The compiler
splits an env value into its literal text and its references
(:func:`split`), resolves each reference as it would on its own (each is an
edge of the wiring graph) and joins them. A token anywhere
else (an image, a label, an arg) is an error that names the field, so a
reference never reaches a manifest as text it does not mean.

>>> from tiers import App, Backend, MySQL
>>> app = App("shop")
>>> db = app.add(MySQL("mysql"))
>>> text = f"jdbc:mysql://{db.host}:{db.port_ref()}/shop"
>>> [type(part).__name__ for part in split(text)]
['str', 'HostRef', 'str', 'PortRef', 'str']
"""

from __future__ import annotations

import re

from tiers.model.refs import CLOSE, OPEN, Ref, referenced

_TOKEN = re.compile(f"{OPEN}(\\d+){CLOSE}")


def holds_reference(text: str) -> bool:
    """True when ``text`` holds a reference's token, or a piece of one."""
    return OPEN in text or CLOSE in text


def split(text: str) -> list[str | Ref]:
    """``text`` as its literal pieces and the references between them; raises
    :class:`ValueError` when a token was cut or changed."""
    parts: list[str | Ref] = []
    end = 0
    for found in _TOKEN.finditer(text):
        parts.append(text[end : found.start()])
        ref = referenced(int(found[1]))
        if ref is None:
            raise ValueError("a reference inside the string was changed")
        parts.append(ref)
        end = found.end()
    parts.append(text[end:])
    literal = [p for p in parts if isinstance(p, str)]
    if any(holds_reference(p) for p in literal):
        raise ValueError("a reference inside the string was cut or changed")
    return [p for p in parts if p != ""]


def literal(text: str) -> str:
    """``text`` with each reference shown as ``{...}``, for messages."""
    return _TOKEN.sub("{...}", text).replace(OPEN, "").replace(CLOSE, "")
