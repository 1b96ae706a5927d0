"""Crash-safe commits into an output directory, and their recovery.

Everything happens inside the output directory, in its hidden directory
``.tiers-staging`` (so on DIR's own filesystem, a mount point included)::

    .tiers-staging/tiers       marks the directory as tiers' own
    .tiers-staging/new/<i>     changed file i, written in full before anything moves
    .tiers-staging/old/<i>     the version of file i it replaces, moved aside
    .tiers-staging/old/s<j>    stale file j, moved aside
    .tiers-staging/commit      the journal: the plan of the moves, in place once
                               every file is staged (written aside, then renamed)
    .tiers-staging/rollback    the same journal, renamed when a commit is undone

Once ``commit`` is in place, the moves are carried out in its order, each one
rename; ``commit`` is removed when they are all done, then the rest. Every step
can be told from the files themselves, so the same code finishes a commit, and
:func:`recover` (run by the next ``tiers build`` or ``tiers diff``) finishes one
that was interrupted at any instant, kill -9 included: rolled forward while
``commit`` is there (rolled back instead when a move cannot be made), rolled
back while ``rollback`` is, and the staging removed in every case. The
directory is wholly old or wholly new.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tiers.output.safefs import Tree, Unsafe, exists, read_all, write_new

STAGING = ".tiers-staging"
_MARK, _NEW, _OLD = "tiers", "new", "old"
_COMMIT, _ROLLBACK = "commit", "rollback"
_HELD = ("SIGINT", "SIGTERM", "SIGHUP")
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class Conflict(Exception):
    """A move that would replace a file tiers did not expect there."""


class BadJournal(Exception):
    """A journal that is not a regular file holding a plan tiers wrote:
    ``path`` (as messages name it) and ``reason``; nothing was moved."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} ({reason})")
        self.path = path
        self.reason = reason


@dataclass
class Plan:
    """The moves of a commit: ``files`` (path, whether it replaces a file),
    staged as ``new/<index>``; ``stale`` files to move aside; ``made`` the
    directories the commit makes, parents first."""

    files: list[tuple[str, bool]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)

    def dump(self) -> bytes:
        record = {"version": 1, "files": self.files, "stale": self.stale, "made": self.made}
        return json.dumps(record, separators=(",", ":")).encode()

    @classmethod
    def load(cls, data: bytes) -> Plan:
        """The plan :meth:`dump` wrote; ``ValueError`` for anything else."""
        try:
            record = json.loads(data)
            files = [(_text(path), bool(replaces)) for path, replaces in record["files"]]
            stale, made = record["stale"], record["made"]
            if record["version"] != 1 or not isinstance(stale, list) or not isinstance(made, list):
                raise ValueError("not version 1")
            return cls(files, [_text(p) for p in stale], [_text(p) for p in made])
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"not a journal tiers wrote ({exc})") from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a path")
    return value


class Staging:
    """``.tiers-staging`` of ``tree``, made empty: :meth:`stage` files into it,
    then :meth:`commit` them, or :meth:`discard` it."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        os.mkdir(STAGING, 0o700, dir_fd=tree.fd)
        try:
            self.fd = os.open(STAGING, _DIR_FLAGS, dir_fd=tree.fd)
            write_new(self.fd, _MARK, b"tiers: removed by the next tiers build or diff\n", 0o600)
            os.mkdir(_NEW, 0o700, dir_fd=self.fd)
            os.mkdir(_OLD, 0o700, dir_fd=self.fd)
            self.new = os.open(_NEW, _DIR_FLAGS, dir_fd=self.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                _remove(tree)
            raise
        self.count = 0
        self.kept = False

    def stage(self, chunks: Iterator[bytes], mode: int) -> int:
        """Write the next staged file from ``chunks``; returns its index."""
        fd = os.open(str(self.count), os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode, dir_fd=self.new)
        try:
            for chunk in chunks:
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        self.count += 1
        return self.count - 1

    def commit(self, plan: Plan) -> None:
        """Write the journal and carry out ``plan``; on any failure, undo every
        move and raise. Ctrl-C (SIGINT, SIGTERM, SIGHUP) is held back: once the
        files move, the commit ends. When undoing fails too, the staging stays,
        for the next command to finish undoing."""
        with held_signals():
            write_new(self.fd, _COMMIT + ".tmp", plan.dump(), 0o600)
            os.rename(_COMMIT + ".tmp", _COMMIT, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            try:
                _forward(self.tree, plan, verify=False)
            except BaseException:
                self.kept = True
                os.rename(_COMMIT, _ROLLBACK, src_dir_fd=self.fd, dst_dir_fd=self.fd)
                _backward(self.tree, plan)
                self.kept = False
                raise
            finally:
                self.discard(deliver=False)

    def discard(self, deliver: bool = True) -> None:
        """Remove the staging directory (a commit's journal first), unless a
        failed undo keeps it. Ctrl-C waits until it is gone, then stops the
        command (unless ``deliver`` is false: a commit that is done stays done)."""
        if self.fd < 0 or self.kept:
            return
        with held_signals(deliver=deliver):
            os.close(self.new)
            os.close(self.fd)
            self.fd = -1
            _remove(self.tree)


def recover(tree: Tree) -> str | None:
    """Finish what an interrupted command left in ``tree``'s staging directory
    and remove it; returns what was done (``None``: there was nothing)."""
    try:
        fd = os.open(STAGING, _DIR_FLAGS, dir_fd=tree.fd)
    except FileNotFoundError:
        return None
    except OSError:
        raise Unsafe(tree.show(STAGING), "not tiers' staging directory: remove it") from None
    try:
        names = set(os.listdir(fd))
        done = _recover_in(tree, fd, names)
    finally:
        os.close(fd)
    _remove(tree)
    return done


def _recover_in(tree: Tree, fd: int, names: set[str]) -> str:
    if names and _MARK not in names:
        raise Unsafe(tree.show(STAGING), "not tiers' staging directory: remove it")
    if _COMMIT in names:
        plan = _journal(tree, fd, _COMMIT)
        with held_signals():
            try:
                _forward(tree, plan, verify=True)
                return f"finished the interrupted commit of {tree.shown}"
            except (OSError, Conflict, Unsafe):  # cannot go on: go back
                os.rename(_COMMIT, _ROLLBACK, src_dir_fd=fd, dst_dir_fd=fd)
                _backward(tree, plan)
        return f"rolled back the interrupted commit of {tree.shown}"
    if _ROLLBACK in names:
        plan = _journal(tree, fd, _ROLLBACK)
        with held_signals():
            _backward(tree, plan)
        return f"rolled back the interrupted commit of {tree.shown}"
    return f"removed the staging of an interrupted build of {tree.shown}"


def _forward(tree: Tree, plan: Plan, verify: bool) -> None:
    """Carry out the moves of ``plan`` not done yet, in order."""
    with _dirs(tree) as (new, old):
        for index, (path, replaces) in enumerate(plan.files):
            staged = str(index)
            if not exists(new, staged):
                continue
            directory, name = tree.parent(path, create=True)
            if exists(directory, name):
                if not replaces or exists(old, staged) or (verify and not _generated(tree, path)):
                    raise Conflict(tree.show(path))
                os.rename(name, staged, src_dir_fd=directory, dst_dir_fd=old)
            os.rename(staged, name, src_dir_fd=new, dst_dir_fd=directory)
        for index, path in enumerate(plan.stale):
            _move_aside(tree, path, old, f"s{index}")
    _drop_emptied(tree, plan.stale)


def _move_aside(tree: Tree, path: str, old: int, aside: str) -> None:
    if exists(old, aside):
        return
    try:
        directory, name = tree.parent(path)
    except FileNotFoundError:
        return
    if exists(directory, name):
        os.rename(name, aside, src_dir_fd=directory, dst_dir_fd=old)


def _backward(tree: Tree, plan: Plan) -> None:
    """Undo the moves of ``plan`` done so far, last first."""
    with _dirs(tree) as (new, old):
        for index in reversed(range(len(plan.stale))):
            if exists(old, f"s{index}"):
                directory, name = tree.parent(plan.stale[index], create=True)
                os.rename(f"s{index}", name, src_dir_fd=old, dst_dir_fd=directory)
        for index in reversed(range(len(plan.files))):
            _put_back(tree, plan.files[index][0], str(index), new, old)
    for path in reversed(plan.made):
        _rmdir(tree, path)


def _put_back(tree: Tree, path: str, staged: str, new: int, old: int) -> None:
    moved_in, moved_aside = not exists(new, staged), exists(old, staged)
    if not (moved_in or moved_aside):
        return
    directory, name = tree.parent(path, create=True)
    if moved_in and exists(directory, name):
        os.rename(name, staged, src_dir_fd=directory, dst_dir_fd=new)
    if moved_aside:
        os.rename(staged, name, src_dir_fd=old, dst_dir_fd=directory)


def _generated(tree: Tree, path: str) -> bool:
    from tiers.output.ownership import HEADER_PREFIX

    try:
        handle = tree.open_regular(path)
    except Unsafe:
        return False
    if handle is None:
        return False
    try:
        return os.read(handle, len(HEADER_PREFIX)) == HEADER_PREFIX
    finally:
        os.close(handle)


def _drop_emptied(tree: Tree, stale: list[str]) -> None:
    """Remove the directories that held only stale files (a switch of layout)."""
    parents = {path.rpartition("/")[0] for path in stale} - {""}
    for path in sorted(parents, key=lambda p: p.count("/"), reverse=True):
        _rmdir(tree, path)


def _rmdir(tree: Tree, path: str) -> None:
    try:
        directory, name = tree.parent(path)
        os.rmdir(name, dir_fd=directory)
    except (OSError, Unsafe):
        return


def _remove(tree: Tree) -> None:
    """Remove the staging directory: its journal first (the commit is then
    over), its marker last (until then, it is known as tiers' own)."""
    with _opened(STAGING, tree.fd) as fd:
        for name in (_COMMIT, _ROLLBACK, _COMMIT + ".tmp"):
            _unlink(fd, name)
        for name in (_NEW, _OLD):
            if exists(fd, name):
                shutil.rmtree(name, dir_fd=fd)
        _unlink(fd, _MARK)
    os.rmdir(STAGING, dir_fd=tree.fd)


def _unlink(directory: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=directory)
    except FileNotFoundError:
        return


@contextmanager
def _opened(name: str, directory: int) -> Iterator[int]:
    fd = os.open(name, _DIR_FLAGS, dir_fd=directory)
    try:
        yield fd
    finally:
        os.close(fd)


@contextmanager
def _dirs(tree: Tree) -> Iterator[tuple[int, int]]:
    with (
        _opened(STAGING, tree.fd) as staging,
        _opened(_NEW, staging) as new,
        _opened(_OLD, staging) as old,
    ):
        yield new, old


def _journal(tree: Tree, directory: int, name: str) -> Plan:
    """The plan in the journal ``name``; :class:`BadJournal` when it is not a
    regular file holding a plan tiers wrote (nothing is moved then: the files
    moved aside stay in ``old``, for the user to put back)."""
    fd = -1
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=directory)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        return Plan.load(read_all(fd))
    except OSError as exc:
        link = exc.errno == errno.ELOOP
        reason = "a symbolic link" if link else (exc.strerror or str(exc))
        raise BadJournal(tree.show(f"{STAGING}/{name}"), reason) from None
    except ValueError as exc:
        raise BadJournal(tree.show(f"{STAGING}/{name}"), str(exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)


@contextmanager
def held_signals(deliver: bool = False) -> Iterator[None]:
    """Hold back Ctrl-C (and SIGTERM, SIGHUP) while files move, where stopping
    halfway would mix old and new files: once they move, the command ends.
    With ``deliver``, a signal held back is raised afterwards as
    ``KeyboardInterrupt`` (for steps that must not stop halfway, but may stop after)."""
    previous: dict[int, Any] = {}
    held: list[int] = []
    if threading.current_thread() is threading.main_thread():
        for name in _HELD:
            number = getattr(signal, name)
            previous[number] = signal.signal(number, lambda n, _: held.append(n))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
    if held and deliver:
        raise KeyboardInterrupt
