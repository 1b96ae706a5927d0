"""Write generated files into an output directory without ever losing a file,
and without touching the ones whose bytes do not change.

Each file is compared, as it comes, with the one in DIR: when the bytes are the
same it is left alone (same inode, same mtime); otherwise it is written in full
into DIR's staging directory. Once every file has come, the files to replace
are checked (tiers replaces only files that start with its header and that the
app's record lists, see :mod:`tiers.output.ownership`), and the staged files move into
place through a journal (:mod:`tiers.output.journal`), so that a failure or an
interruption at any instant leaves DIR wholly old or wholly new. Paths never go
through a symbolic link inside DIR (:mod:`tiers.output.safefs`), and DIR is the one
resolved before the app ran (:mod:`tiers.output.outdir`).
"""

from __future__ import annotations

import itertools
import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tiers.errors import OutputError
from tiers.output.emit import Text, header
from tiers.output.journal import Conflict, Plan, Staging, held_signals
from tiers.output.outdir import OutputDir, prepare_output
from tiers.output.ownership import HEADER_PREFIX, RECORD, owned_files, parse_record, read_record
from tiers.output.safefs import Tree, Unsafe, check_name, umask

T = TypeVar("T")
_INTERRUPTING = ("SIGTERM", "SIGHUP")


def is_generated(path: Path, first_line: str | None = None) -> bool:
    """True when ``path`` is a regular file that tiers wrote (it starts with the
    header); with ``first_line``, only when it starts with exactly that line."""
    expected = first_line.encode() if first_line is not None else HEADER_PREFIX
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with path.open("rb") as handle:
            return handle.read(len(expected)) == expected
    except OSError:
        return False


@dataclass(frozen=True)
class Written:
    """What a build did to DIR: files ``written`` (new or changed), files
    ``unchanged`` (left as they were), stale files ``removed``."""

    written: int
    unchanged: int
    removed: int

    @property
    def files(self) -> int:
        """Every file the build has, written or unchanged."""
        return self.written + self.unchanged


def write_tree(
    directory: Path, files: Mapping[str, str] | Iterable[tuple[str, Text]], app_ref: str
) -> int:
    """Make ``directory`` hold ``files`` (relative path → YAML text, or (path,
    text) pairs whose text may come in pieces), keeping every file tiers did not
    generate as it is; returns how many files the build has. See :func:`write_output`."""
    with prepare_output(directory) as target:
        return write_output(target, files, app_ref).files


def write_output(
    target: OutputDir,
    files: Mapping[str, str] | Iterable[tuple[str, Text]],
    source: str,
    app: str | None = None,
) -> Written:
    """Make the output directory ``target`` hold ``files`` among the files of
    app ``app`` (default: the one the top ``kustomization.yaml`` of ``files``
    names), each starting with the header naming ``source``.

    Each file is staged as soon as ``files`` gives it, so ``files`` may be made
    one by one (:func:`tiers.output.layouts.layout_each`). Raises
    :class:`~tiers.errors.OutputError`, with DIR untouched, when a file would
    be lost, DIR holds another app, or the files cannot be written; an
    exception raised while ``files`` are made leaves DIR untouched too, and
    goes on up."""
    if app is not None:
        owned_files(target.record, app, source, target.shown, target.cwd)  # refuse before any work
    try:
        return _write(target, files, header(source), app, source)
    except BaseException:
        target.remove_made()
        raise


def _write(
    target: OutputDir,
    files: Mapping[str, str] | Iterable[tuple[str, Text]],
    first_line: str,
    app: str | None,
    source: str,
) -> Written:
    pairs = files.items() if isinstance(files, Mapping) else files
    stage: _Stage | None = None
    try:
        with _interruptible():
            stage = _Stage(target.open(), first_line)
            stage.all(_made(pairs))
            plan = _plan(target, stage, app or stage.app, source)
            if plan.files or plan.stale:
                stage.staging_dir().commit(plan)
            return Written(len(plan.files), stage.unchanged, len(plan.stale))
    except _MadeError as made:
        raise made.error from None
    except (Conflict, Unsafe) as exc:
        raise OutputError(
            f"could not write {target.shown}: {exc} changed while tiers wrote; "
            "nothing was changed. Run the build again"
        ) from None
    except OSError as exc:
        kept = stage is not None and stage.staging is not None and stage.staging.kept
        raise _unwritable(target.shown, exc, kept) from None
    finally:
        if stage is not None and stage.staging is not None:
            stage.staging.discard()


def _plan(target: OutputDir, stage: _Stage, app: str | None, source: str) -> Plan:
    """The moves, once every file has come: refused when a file to replace is
    not this app's (the user's own, a link, another app's)."""
    owned = None
    if app is not None and target.record is not None:
        owned = owned_files(target.record, app, source, target.shown, target.cwd)
    if owned is not None:
        unlisted = f"generated, but {target.shown}/{RECORD} does not list it"
        for name in stage.replaced:
            if name not in owned:
                stage.foreign[name] = f"{stage.tree.show(name)} ({unlisted})"
    if stage.foreign:
        shown = ", ".join(sorted(set(stage.foreign.values())))
        raise OutputError(
            f"refusing to overwrite {shown}: not written by tiers for this app. "
            "Move it away or choose another output directory; nothing was written"
        )
    stale = _stale(stage.tree, owned, stage.seen)
    return Plan(stage.planned, stale, stage.made)


def _stale(tree: Tree, owned: frozenset[str] | None, seen: set[str]) -> list[str]:
    """The files of this app that it no longer builds and that still carry the header."""
    if owned is None:
        return []
    return [name for name in sorted(owned - seen) if _generated(tree, name)]


def _generated(tree: Tree, name: str) -> bool:
    try:
        handle = tree.open_regular(name)
    except (Unsafe, OSError):
        return False
    if handle is None:
        return False
    try:
        return os.read(handle, len(HEADER_PREFIX)) == HEADER_PREFIX
    finally:
        os.close(handle)


class _Stage:
    """Compares each file with DIR's as it comes, stages the changed ones
    (``planned``) and notes the ones tiers may not replace (``foreign``)."""

    def __init__(self, tree: Tree, first_line: str) -> None:
        self.tree, self.first = tree, first_line.encode()
        self.mode = 0o666 & ~umask()
        self.staging: Staging | None = None
        self.seen: set[str] = set()
        self.planned: list[tuple[str, bool]] = []
        self.replaced: list[str] = []
        self.foreign: dict[str, str] = {}
        self.made: list[str] = []
        self.unchanged = 0
        self.app: str | None = None
        self._dirs: set[str] = {""}
        self._outputs: dict[str, bool] = {}

    def staging_dir(self) -> Staging:
        """The staging directory, made with the first changed file."""
        if self.staging is None:
            with held_signals(deliver=True):  # made whole, and known, before any Ctrl-C
                self.staging = Staging(self.tree)
        return self.staging

    def all(self, files: Iterable[tuple[str, Text]]) -> None:
        """Stage every file of ``files``, in order."""
        for name, text in files:
            self.add(name, text)

    def add(self, name: str, text: Text) -> None:
        """Compare and stage one file; once a file is refused, only names count."""
        if name in self.seen:
            raise ValueError(f"{name} would be written twice")
        self.seen.add(name)
        _check_plain(name, self.tree)
        if name == RECORD and isinstance(text, str):
            self.app = _record_app(self.first.decode() + text)
        existing = self._existing(name)
        if self.foreign:
            if existing is not None:
                os.close(existing)
            return
        try:
            self._stage(name, text, existing)
        finally:
            if existing is not None:
                os.close(existing)

    def _existing(self, name: str) -> int | None:
        """DIR's file ``name``, open to compare (``None``: there is none)."""
        try:
            handle = self.tree.open_regular(name)
        except Unsafe as exc:
            self.foreign[name] = str(exc)
            return None
        except FileNotFoundError:
            handle = None
        if handle is None:
            self._note_dirs(name)
            return None
        if os.pread(handle, len(HEADER_PREFIX), 0) != HEADER_PREFIX:
            self.foreign[name] = self.tree.show(name)
        elif (other := self._other_output(name)) is not None:
            self.foreign[name] = f"{self.tree.show(name)} (of the tiers output {other})"
        return handle

    def _other_output(self, name: str) -> str | None:
        """The directory below DIR that holds ``name`` and is an output of its
        own (its ``kustomization.yaml`` is a record, with a layout), if any."""
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directory = "/".join(parts[:depth])
            if directory not in self._outputs:
                record = read_record(self.tree, directory)
                self._outputs[directory] = record is not None and record.layout is not None
            if self._outputs[directory]:
                return self.tree.show(directory)
        return None

    def _note_dirs(self, name: str) -> None:
        """Note the directories a new file needs that DIR lacks."""
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            if path in self._dirs:
                continue
            self._dirs.add(path)
            if self.tree.lstat(path) is None:
                self.made.append(path)

    def _stage(self, name: str, text: Text, existing: int | None) -> None:
        same = _Same(existing)
        if isinstance(text, str):
            data = self.first + text.encode()
            if same.whole(data):
                self.unchanged += 1
                return
            self.staging_dir().stage(iter([data]), self.mode)
        else:
            chunks = same.differing(_encoded(self.first, text))
            if chunks is None:
                self.unchanged += 1
                return
            self.staging_dir().stage(chunks, self.mode)
        self.planned.append((name, existing is not None))
        if existing is not None:
            self.replaced.append(name)


class _Same:
    """Whether new bytes are the bytes of ``existing`` (an open file or ``None``)."""

    def __init__(self, existing: int | None) -> None:
        self.fd = existing

    def whole(self, data: bytes) -> bool:
        """True when ``data`` is the whole file."""
        if self.fd is None or os.fstat(self.fd).st_size != len(data):
            return False
        return os.pread(self.fd, len(data) + 1, 0) == data

    def differing(self, chunks: Iterator[bytes]) -> Iterator[bytes] | None:
        """``None`` when ``chunks`` make the file's bytes; else every chunk,
        read on from the first that differs (the same bytes before it come from
        the file), so that an unchanged file is compared without being staged."""
        offset = 0
        for chunk in chunks:
            if self.fd is None or os.pread(self.fd, len(chunk), offset) != chunk:
                return itertools.chain(self._prefix(offset), [chunk], chunks)
            offset += len(chunk)
        if self.fd is not None and os.fstat(self.fd).st_size == offset:
            return None
        return self._prefix(offset)

    def _prefix(self, end: int) -> Iterator[bytes]:
        offset = 0
        while offset < end and self.fd is not None:
            chunk = os.pread(self.fd, min(1 << 20, end - offset), offset)
            if not chunk:
                return
            offset += len(chunk)
            yield chunk


def _encoded(first: bytes, pieces: Iterator[str]) -> Iterator[bytes]:
    yield first
    for piece in _made(pieces):
        yield piece.encode()


def _check_plain(name: str, tree: Tree) -> None:
    try:
        check_name(name)
    except Unsafe as exc:
        raise OutputError(
            f"refusing to write {tree.show(name)}: {exc.reason}; every file tiers writes is a "
            "plain name inside the output directory. Nothing was written"
        ) from None


def _record_app(text: str) -> str | None:
    record = parse_record(text)
    return record.app if record is not None else None


class _MadeError(Exception):
    """An ``OSError`` raised while the files were made, not while they were
    written: it goes on up as it was, not as a failure to write."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _made(items: Iterable[T]) -> Iterator[T]:
    """``items``, with an ``OSError`` raised in making one as :class:`_MadeError`."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except OSError as exc:
            raise _MadeError(exc) from exc
        yield item


def _unwritable(shown: str, exc: OSError, kept: bool) -> OutputError:
    reason = exc.strerror or str(exc)
    if kept:
        return OutputError(
            f"could not write {shown}: {reason}, and could not undo every move either; the "
            f"next tiers build or diff of {shown} finishes undoing them"
        )
    return OutputError(
        f"could not write {shown}: {reason}. Nothing was changed; "
        f"tiers needs to write {shown} (and its hidden staging directory in it)"
    )


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the build like Ctrl-C (``KeyboardInterrupt``), so
    that the staging directory is removed; while files move, all three wait."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in _INTERRUPTING:
            number = getattr(signal, name)
            previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt
