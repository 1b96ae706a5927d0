"""A YAML stream read without PyYAML when it holds only what tiers writes.

Most input of ``tiers import`` is YAML a tool wrote: tiers' own output,
``kubectl get -o yaml``, ``kubectl kustomize``. :func:`documents` splits a
stream at its ``---`` lines and reads each document with the fast reader of
:mod:`tiers.yaml.read` (held to PyYAML's meaning by its tests), and answers
``None`` whenever the result could differ from :func:`tiers.importer.read.parse`'s
PyYAML path in any way, which then reads the whole stream:

- a line starting ``---`` or ``...`` that is not exactly ``---`` (a document
  marker with content, a document end), or a document that holds nothing;
- a document the fast reader does not take (anchors, aliases, tags, block
  scalars, values over several lines, tabs, ``\\r``: it raises ``Unsupported``),
  or one nested deeper than its recursion goes;
- a document of :data:`~tiers.importer.bounds.MAX_VALUES` / 2 characters or
  more (without aliases, a document holds at most one value per character and
  one more, so a shorter one is within the values allowed);
- a key written twice in a mapping, or two keys read as one string (``1`` and
  ``"1"``), which PyYAML's path refuses and the fast reader would merge: the
  keys written are counted and compared with the keys read.

Each document comes with the line of its first content line, as PyYAML's
``start_mark`` gives it.
"""

from __future__ import annotations

import re
from typing import Any

from tiers.importer.bounds import MAX_VALUES
from tiers.yaml import read as fast

_MARKER = re.compile(r"^(?:---|\.\.\.).*$", re.MULTILINE)
_CONTENT = re.compile(r"^ *[^ #\n]", re.MULTILINE)
_KEY = r'(?:[A-Za-z0-9_][A-Za-z0-9_./-]*|"[^"\\]*"):(?: +|$)'
"""A block mapping entry's key, as :mod:`tiers.yaml.read` takes one."""
_DASHES = r"^ *(?:-(?: +|$))*"
"""The dashes of the sequences a line opens."""
_ENTRIES = re.compile(_DASHES + _KEY, re.MULTILINE)
_FLOW = re.compile(rf"{_DASHES}(?:{_KEY})?([{{\[].*)")
"""A line's flow mapping or sequence (JSON, for the fast reader)."""
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"( *:)?')
"""A JSON string, and the colon after it when it is a key."""


Document = tuple[int, Any, bool]
"""A document's line, the document, and whether it holds no null (a mapping
without nulls needs no copy to drop them: the fast reader shares nothing)."""


def documents(text: str) -> list[Document] | None:
    """Each document of ``text``, or ``None`` when PyYAML must read it."""
    found: list[Document] = []
    start = 0
    for marker in _MARKER.finditer(text):
        chunk = text[start : marker.start()]
        if marker.group() != "---" or not _document(chunk, start, text, found):
            return None
        start = marker.end() + 1
    if not _document(text[start:], start, text, found):
        return None
    return found


def _document(chunk: str, start: int, text: str, found: list[Document]) -> bool:
    """Read the document ``chunk`` (at ``start`` in ``text``) into ``found``;
    False when the fast path cannot."""
    content = _CONTENT.search(chunk)
    if content is None:
        return start == 0  # comments before the first ``---`` are no document
    if len(chunk) >= MAX_VALUES // 2:
        return False
    try:
        document = fast.load(chunk)
    except (fast.Unsupported, RecursionError):  # nested deeper than the reader goes
        return False
    keys, nulls = _keys_read(document)
    if _keys_written(chunk) != keys:
        return False
    found.append((text.count("\n", 0, start + content.start()) + 1, document, not nulls))
    return True


def _keys_written(chunk: str) -> int:
    """The mapping keys ``chunk`` writes: one per block entry, and each key of
    a flow mapping."""
    count = len(_ENTRIES.findall(chunk))
    if "{" not in chunk and "[" not in chunk:
        return count
    for line in chunk.split("\n"):
        flow = _FLOW.match(line) if "{" in line or "[" in line else None
        if flow is not None:
            count += sum(1 for string in _STRING.finditer(flow.group(1)) if string.group(1))
    return count


def _keys_read(document: Any) -> tuple[int, bool]:
    """The keys of every mapping in ``document`` (-1 when one is not a string:
    ``yes`` and ``"yes"`` are one key to PyYAML's path, two to the reader),
    and whether it holds a null."""
    count, nulls = 0, False
    stack = [document]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            if not all(type(k) is str for k in value):
                return -1, nulls
            count += len(value)
            value = value.values()
        nulls = nulls or None in value
        stack += [v for v in value if type(v) is dict or type(v) is list]
    return count, nulls
