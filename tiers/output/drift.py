"""Drift: what an app builds against what is committed in an output directory.

Objects are compared by ``(apiVersion, kind, namespace, name)``: each object
the app builds that the directory lacks is *added*, each one the directory
holds that the app no longer builds is *removed*, and each one whose content
differs is *changed*, shown as a unified diff of its YAML. When the objects
agree but the files do not (another layout, a stale ``kustomization.yaml``, a
hand-edited file), the files are compared instead. tiers' header line is left
out of every comparison, so the spelling of APP does not matter. Only the
app's own files are read, by the rule ``tiers build`` follows
(:mod:`tiers.output.ownership`): the user's files, and other apps', are ignored. A
file that is not UTF-8 text is reported as changed, with the offending byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tiers.output.ownership import HEADER_PREFIX
from tiers.output.safefs import Tree, Unsafe
from tiers.yaml import dump, load_all

Key = tuple[str, str, str, str]
Status = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference: an object (``subject`` like ``Deployment shop/backend``) or a file."""

    status: Status
    subject: str
    diff: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Drift:
    """Every difference between the built and the committed directory; empty when in sync."""

    changes: list[Change]

    def __bool__(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class Committed:
    """The app's files in an output directory: ``files`` (path → text without
    the header) and ``unreadable`` (path → why it is not text: its ``files``
    entry has U+FFFD for each byte that is not UTF-8)."""

    files: dict[str, str]
    unreadable: dict[str, str]


def read_committed(tree: Tree, names: Iterable[str]) -> Committed:
    """The files ``names`` of ``tree`` that tiers generated (regular files with
    the header; links and the user's files are left out)."""
    files: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    for name in sorted(names):
        data = read_generated(tree, name)
        if data is None:
            continue
        files[name], why = decoded(data)
        if why is not None:
            unreadable[name] = why
    return Committed(files, unreadable)


def read_generated(tree: Tree, name: str) -> bytes | None:
    """The bytes of ``tree``'s file ``name`` when tiers generated it (a regular
    file with the header), else ``None``."""
    try:
        data = tree.read(name)
    except Unsafe:
        return None
    if data is None or not data.startswith(HEADER_PREFIX):
        return None
    return data


def decoded(data: bytes) -> tuple[str, str | None]:
    """The text of a generated file without its header, and why it is not
    text (``None`` when it is UTF-8; else U+FFFD stands for each other byte)."""
    try:
        return strip_header(data.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        why = (
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "tiers writes UTF-8, and tiers build rewrites it"
        )
        return strip_header(data.decode("utf-8", errors="replace")), why


def strip_header(text: str) -> str:
    """``text`` without its first line when that line is tiers' header."""
    if text.encode("utf-8").startswith(HEADER_PREFIX):
        return text.partition("\n")[2]
    return text


def compare(
    built: Mapping[str, str],
    committed: Mapping[str, str],
    label: str,
    unreadable: Mapping[str, str] | None = None,
) -> Drift:
    """The drift from ``committed`` files to ``built`` ones (both path → text
    without header); ``label`` is the directory's name in the diff headers.
    Each file of ``unreadable`` (path → why) is a change of its own."""
    return compare_sides(Sides(dict(built), dict(committed), dict(unreadable or {})), label)


SAME = None
"""A file's text in :class:`Sides` when its bytes are the same on both sides."""


@dataclass
class Sides:
    """The files of both sides of a diff: path → text without the header, or
    :data:`SAME` for a file whose bytes are the same on both (``built`` in the
    order of the build, ``committed`` sorted). ``keys`` lists the objects of
    each same file, and ``text_of`` reads one when an object in it must be
    compared after all (an object the build has twice, say)."""

    built: dict[str, str | None]
    committed: dict[str, str | None]
    unreadable: dict[str, str]
    keys: dict[str, list[Key]] = field(default_factory=dict)
    text_of: Callable[[str], str] = str


def compare_sides(sides: Sides, label: str) -> Drift:
    """The drift of :func:`compare`, YAML read only from files that differ."""
    new, old = _objects(sides.built, sides), _objects(sides.committed, sides)
    changes = [
        Change("changed", f"file {label}/{path}", [f"{label}/{path}: {why}\n"])
        for path, why in sorted(sides.unreadable.items())
    ]
    changes += _object_changes(new, old, label, _Documents(sides))
    changes += _file_changes(
        sides.built,
        sides.committed,
        label,
        only_kustomizations=bool(changes),
        skip=set(sides.unreadable),
    )
    return Drift(changes)


_Where = tuple[str, int]
"""An object's file and its place among the file's documents."""


def _objects(
    files: Mapping[str, str | None], sides: Sides
) -> dict[Key, tuple[_Where, dict[str, Any] | None]]:
    """Each object's key → where it is and, in a file that differs, what it holds
    (``None``: in a same file, read only when needed)."""
    found: dict[Key, tuple[_Where, dict[str, Any] | None]] = {}
    for path, text in files.items():
        if _is_kustomization(path):
            continue
        if text is SAME:
            for index, key in enumerate(sides.keys.get(path, [])):
                found.setdefault(key, ((path, index), None))
            continue
        for index, doc in enumerate(_documents(text)):
            found.setdefault(_key(doc), ((path, index), doc))
    return found


class _Documents:
    """The documents of a same file, read once when an object in it is compared."""

    def __init__(self, sides: Sides) -> None:
        self.sides = sides
        self.read: dict[str, list[dict[str, Any]]] = {}

    def get(self, where: _Where, doc: dict[str, Any] | None) -> dict[str, Any]:
        if doc is not None:
            return doc
        path, index = where
        if path not in self.read:
            self.read[path] = _documents(self.sides.text_of(path))
        return self.read[path][index]


def _documents(text: str) -> list[dict[str, Any]]:
    import yaml  # only a file that differs is read

    try:
        docs = load_all(text)
    except yaml.YAMLError:  # a file broken by hand: every object in it counts as gone
        return []
    return [d for d in docs if isinstance(d, dict)]


def object_key(doc: Mapping[str, Any]) -> Key:
    """``(apiVersion, kind, namespace, name)`` of an object."""
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    return (
        str(doc.get("apiVersion") or ""),
        str(doc.get("kind") or ""),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


_key = object_key


def describe(key: Key) -> str:
    """``Deployment shop/backend`` (``Namespace shop`` for cluster-wide objects)."""
    _, kind, namespace, name = key
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


_Found = dict[Key, tuple[_Where, dict[str, Any] | None]]


def _object_changes(new: _Found, old: _Found, label: str, docs: _Documents) -> Iterator[Change]:
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None:
            if before[1] is None and after[1] is None and before[0] == after[0]:
                continue  # the same place of a file whose bytes are the same
            if docs.get(*before) == docs.get(*after):
                continue
        status: Status = "added" if before is None else "removed" if after is None else "changed"
        path = (after or before)[0][0]  # type: ignore[index]
        lines = _unified(
            dump(docs.get(*before)) if before else "",
            dump(docs.get(*after)) if after else "",
            f"{label}/{before[0][0] if before else path} (committed)",
            f"{label}/{path} (built)",
        )
        yield Change(status, describe(key), lines)


def _file_changes(
    built: Mapping[str, str | None],
    committed: Mapping[str, str | None],
    label: str,
    only_kustomizations: bool,
    skip: set[str],
) -> Iterator[Change]:
    for path in sorted(set(built) | set(committed)):
        if path in skip or (only_kustomizations and not _is_kustomization(path)):
            continue
        if path in built and path in committed and built[path] is SAME:
            continue
        before, after = committed.get(path), built.get(path)
        if before == after:
            continue
        status: Status = "added" if before is None else "removed" if after is None else "changed"
        diff = _unified(
            before or "", after or "", f"{label}/{path} (committed)", f"{label}/{path} (built)"
        )
        yield Change(status, f"file {label}/{path}", diff)


def _is_kustomization(path: str) -> bool:
    return path.rpartition("/")[2] == "kustomization.yaml"


def _unified(before: str, after: str, old_name: str, new_name: str) -> list[str]:
    import difflib

    return list(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
        )
    )


def report(drift: Drift, color: bool = False) -> str:
    """The drift as text: one line per change, then its unified diff (ANSI colours
    when ``color``), then a summary line."""
    out: list[str] = []
    for change in drift.changes:
        out.append(_paint(f"{change.status}: {change.subject}\n", "1", color))
        out.extend(_paint_diff_line(line, color) for line in change.diff)
        if change.diff and not change.diff[-1].endswith("\n"):
            out.append("\n")
    counts = {
        s: sum(1 for c in drift.changes if c.status == s) for s in ("changed", "added", "removed")
    }
    out.append(", ".join(f"{n} {s}" for s, n in counts.items()) + "\n")
    return "".join(out)


def _paint_diff_line(line: str, color: bool) -> str:
    if line.startswith(("+++", "---")):
        return _paint(line, "1", color)
    codes = {"+": "32", "-": "31", "@": "36"}
    return _paint(line, codes.get(line[:1], ""), color)


def _paint(text: str, code: str, color: bool) -> str:
    if not color or not code:
        return text
    body = text.rstrip("\n")
    return f"\x1b[{code}m{body}\x1b[0m" + text[len(body) :]
