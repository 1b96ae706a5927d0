"""The committed side of ``tiers diff``, read beside the build's files as they come.

Each file the build makes is compared, bytes to bytes after tiers' header line,
with the committed one: a file whose bytes are what the build would write is
settled there, without reading its YAML and without holding its text
(:data:`~tiers.output.drift.SAME`); only the files that differ are kept, and
read as YAML by :func:`~tiers.output.drift.compare_sides` for the per-object
report. Which committed files count is the rule ``tiers build`` follows
(:mod:`tiers.output.ownership`), as in :func:`~tiers.output.drift.read_committed`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tiers.errors import OutputError
from tiers.output.drift import SAME, Key, Sides, decoded, object_key, read_generated
from tiers.output.emit import Files, Returning
from tiers.output.layouts import Note
from tiers.output.outdir import OutputDir
from tiers.output.ownership import owned_files
from tiers.output.safefs import Tree
from tiers.render.templates import Manifest


def keys_noted(keys: dict[str, list[Key]]) -> Note:
    """A :data:`~tiers.output.layouts.Note` that lists each file's objects in ``keys``."""

    def note(path: str, manifest: Manifest) -> None:
        keys.setdefault(path, []).append(object_key(manifest))

    return note


def read_sides(
    target: OutputDir,
    app: str,
    source: str,
    files: Files,
    keys: dict[str, list[Key]],
) -> Sides:
    """Both sides of the diff of ``files`` (the build of ``app`` from
    ``source``; ``keys``: the objects of each, see :func:`keys_noted`) against
    the output directory ``target``. Raises :class:`~tiers.errors.OutputError`
    for another app's DIR, once every file is made."""
    tree = target.tree
    owned: frozenset[str] | None = None
    refused: OutputError | None = None
    if tree is not None and target.record is not None:
        try:
            owned = owned_files(target.record, app, source, target.shown, target.cwd)
        except OutputError as exc:
            refused = exc  # raised after the build, as when every file was read after it
    reader = _Reader(tree if refused is None else None, owned)
    found = Returning(files)
    for name, text in found:
        reader.add(name, text if isinstance(text, str) else "".join(text))
    if refused is not None:
        raise refused
    built = {name: reader.built[name] for name in found.value}  # in the order files are listed
    committed = reader.committed(set(built) if owned is None else owned)
    text_of = reader.text_of if tree is not None else str
    return Sides(built, committed, reader.unreadable, keys, text_of)


class _Reader:
    """Reads the committed file of each built one as it comes."""

    def __init__(self, tree: Tree | None, owned: frozenset[str] | None) -> None:
        self.tree, self.owned = tree, owned
        self.built: dict[str, str | None] = {}
        self.differing: dict[str, str] = {}
        self.unreadable: dict[str, str] = {}
        self.tried: set[str] = set()

    def add(self, name: str, text: str) -> None:
        self.built[name] = text
        if self.tree is None or (self.owned is not None and name not in self.owned):
            return
        self.tried.add(name)
        data = read_generated(self.tree, name)
        if data is None:
            return
        if data.partition(b"\n")[2] == text.encode():
            self.built[name] = SAME
        else:
            self._keep(name, data)

    def _keep(self, name: str, data: bytes) -> None:
        self.differing[name], why = decoded(data)
        if why is not None:
            self.unreadable[name] = why

    def committed(self, names: Iterable[str]) -> dict[str, str | None]:
        """The committed side: each of ``names`` that tiers generated, sorted."""
        found: dict[str, str | None] = {}
        for name in sorted(names):
            if name not in self.tried and self.tree is not None:
                self.tried.add(name)
                data = read_generated(self.tree, name)
                if data is not None:
                    self._keep(name, data)
            if self.built.get(name, "") is SAME:
                found[name] = SAME
            elif name in self.differing:
                found[name] = self.differing[name]
        return found

    def text_of(self, name: str) -> str:
        """The text of a committed file whose bytes are the built ones."""
        assert self.tree is not None
        data = read_generated(self.tree, name)
        return decoded(data)[0] if data is not None else ""
