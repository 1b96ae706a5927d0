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

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from tiers.output.outdir import OutputDir, prepare_output
from tiers.output.ownership import HEADER_PREFIX, owned_files
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


def committed_files(directory: Path) -> dict[str, str]:
    """Relative path (with ``/``) → text without the header, for every file that
    the record of ``directory`` lists (see :mod:`tiers.output.ownership`) and tiers
    generated; files that are not UTF-8 are left out."""
    if not directory.is_dir():
        return {}
    with prepare_output(directory) as target:
        record = target.record
        if record is None or target.tree is None:
            return {}
        return read_committed(target.tree, record.files).files


def committed_of(target: OutputDir, app: str, source: str, built: Iterable[str]) -> Committed:
    """The files of the output directory ``target`` that belong to ``app``
    (built from ``source``), by the rule ``tiers build`` follows: those its
    record lists, or, without a record, those of ``built`` that carry the
    header. Raises :class:`~tiers.errors.OutputError` for another app's DIR."""
    if target.tree is None:
        return Committed({}, {})
    owned = owned_files(target.record, app, source, target.shown, target.cwd)
    return read_committed(target.tree, owned if target.record is not None else built)


def read_committed(tree: Tree, names: Iterable[str]) -> Committed:
    """The files ``names`` of ``tree`` that tiers generated (regular files with
    the header; links and the user's files are left out)."""
    files: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    for name in sorted(names):
        try:
            data = tree.read(name)
        except Unsafe:
            continue
        if data is None or not data.startswith(HEADER_PREFIX):
            continue
        try:
            files[name] = strip_header(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            files[name] = strip_header(data.decode("utf-8", errors="replace"))
            unreadable[name] = (
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "tiers writes UTF-8, and tiers build rewrites it"
            )
    return Committed(files, unreadable)


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
    new, old = _objects(built), _objects(committed)
    changes = [
        Change("changed", f"file {label}/{path}", [f"{label}/{path}: {why}\n"])
        for path, why in sorted((unreadable or {}).items())
    ]
    changes += _object_changes(new, old, label)
    changes += _file_changes(
        built, committed, label, only_kustomizations=bool(changes), skip=set(unreadable or ())
    )
    return Drift(changes)


def _objects(files: Mapping[str, str]) -> dict[Key, tuple[str, dict[str, Any]]]:
    found: dict[Key, tuple[str, dict[str, Any]]] = {}
    for path, text in files.items():
        if _is_kustomization(path):
            continue
        for doc in _documents(text):
            found.setdefault(_key(doc), (path, doc))
    return found


def _documents(text: str) -> list[dict[str, Any]]:
    try:
        docs = load_all(text)
    except yaml.YAMLError:  # a file broken by hand: every object in it counts as gone
        return []
    return [d for d in docs if isinstance(d, dict)]


def _key(doc: dict[str, Any]) -> Key:
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    return (
        str(doc.get("apiVersion") or ""),
        str(doc.get("kind") or ""),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def describe(key: Key) -> str:
    """``Deployment shop/backend`` (``Namespace shop`` for cluster-wide objects)."""
    _, kind, namespace, name = key
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def _object_changes(
    new: dict[Key, tuple[str, dict[str, Any]]],
    old: dict[Key, tuple[str, dict[str, Any]]],
    label: str,
) -> Iterator[Change]:
    for key in [*new, *(k for k in old if k not in new)]:
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None and before[1] == after[1]:
            continue
        status: Status = "added" if before is None else "removed" if after is None else "changed"
        path = (after or before)[0]  # type: ignore[index]
        lines = _unified(
            dump(before[1]) if before else "",
            dump(after[1]) if after else "",
            f"{label}/{before[0] if before else path} (committed)",
            f"{label}/{path} (built)",
        )
        yield Change(status, describe(key), lines)


def _file_changes(
    built: Mapping[str, str],
    committed: Mapping[str, str],
    label: str,
    only_kustomizations: bool,
    skip: set[str],
) -> Iterator[Change]:
    for path in sorted(set(built) | set(committed)):
        if path in skip or (only_kustomizations and not _is_kustomization(path)):
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
