"""The output directory of a command, resolved once, before the app runs.

:func:`prepare_output` turns DIR into an absolute path with its links resolved
(DIR may itself be a link; a dangling one is an error), opens it (or the
deepest of its parents that exists) as a file descriptor, takes DIR's lock and
finishes whatever an interrupted command left in it (:func:`tiers.output.journal.recover`).
Everything after goes through that descriptor, so an app that changes the
working directory, or a link made inside DIR meanwhile, cannot move the output.
"""

from __future__ import annotations

import errno
import fcntl
import os
from dataclasses import dataclass, field
from pathlib import Path

from tiers.errors import OutputError
from tiers.location import display_path
from tiers.output.journal import STAGING, BadJournal, Conflict, recover
from tiers.output.oldstaging import sweep
from tiers.output.ownership import Record, read_record
from tiers.output.safefs import Tree, Unsafe

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


@dataclass
class OutputDir:
    """DIR as resolved: ``shown`` names it in messages, ``real`` is its
    absolute path with every link resolved, ``link`` tells whether DIR itself
    was a link. ``tree`` is open once DIR exists; ``record`` is its ownership
    record; ``notes`` say what was found and done (a finished interrupted
    commit, an old staging directory beside DIR); ``cwd`` is the working
    directory when DIR was resolved (for the spelling of APP)."""

    shown: str
    real: str
    link: bool
    missing: tuple[str, ...]
    chain: list[int]
    tree: Tree | None = None
    record: Record | None = None
    notes: list[str] = field(default_factory=list)
    made: int = 0
    cwd: str = field(default_factory=os.getcwd)

    def open(self) -> Tree:
        """DIR's tree, DIR (and its missing parents) made first when needed."""
        if self.tree is None:
            for name in self.missing[len(self.chain) - 1 :]:
                self.chain.append(self._make_dir(self.chain[-1], name))
            self.tree = Tree(os.dup(self.chain[-1]), self.shown)
            _lock(self.tree.fd)
        return self.tree

    def _make_dir(self, parent: int, name: str) -> int:
        try:
            os.mkdir(name, 0o777, dir_fd=parent)
            self.made += 1
        except FileExistsError:
            if self.made:
                raise
        return os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=parent)

    def remove_made(self) -> None:
        """Remove the directories :meth:`open` made (after a failed build), if empty."""
        if self.tree is not None and self.made:
            self.tree.close()
            self.tree = None
        while self.made:
            fd = self.chain.pop()
            os.close(fd)
            self.made -= 1
            try:
                os.rmdir(self.missing[len(self.chain) - 1], dir_fd=self.chain[-1])
            except OSError:
                self.made = 0

    def close(self) -> None:
        """Close DIR (which releases its lock)."""
        if self.tree is not None:
            self.tree.close()
            self.tree = None
        while self.chain:
            os.close(self.chain.pop())

    def __enter__(self) -> OutputDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare_output(path: Path | str) -> OutputDir:
    """DIR resolved, opened, locked and recovered (see the module's text).
    Raises :class:`~tiers.errors.OutputError` for a dangling link, a file
    where a directory should be, or an interrupted commit that cannot be finished."""
    given = os.fspath(path)
    if given == "":
        raise OutputError(
            "the output directory is empty (''): name a directory, for example -o deploy"
        )
    absolute = os.path.abspath(given)
    shown = display_path(absolute)
    existing, missing = _existing_part(absolute, shown)
    real = os.path.realpath(existing)
    if not os.path.isdir(real):
        raise OutputError(f"{display_path(existing)} exists and is not a directory")
    link = not missing and os.path.islink(absolute)
    target = OutputDir(shown, os.path.join(real, *missing), link, missing, [_open_dir(real)])
    if not missing:
        try:
            _open_existing(target)
        except BaseException:
            target.close()
            raise
    target.notes += sweep(target.real)
    return target


def _existing_part(absolute: str, shown: str) -> tuple[str, tuple[str, ...]]:
    """The deepest existing directory of ``absolute`` and the names below it,
    refusing a dangling link on the way."""
    path, missing = absolute, list[str]()
    while not os.path.exists(path):
        if os.path.islink(path):
            raise OutputError(
                f"{display_path(path)} is a symbolic link to {os.readlink(path)}, which does not "
                f"exist: tiers does not follow it to write {shown}. Make its target, or choose "
                "another output directory"
            )
        missing.insert(0, os.path.basename(path))
        path = os.path.dirname(path)
    return path, tuple(missing)


def _open_dir(path: str) -> int:
    try:
        return os.open(path, _DIR_FLAGS)
    except OSError as exc:
        raise OutputError(f"could not open {display_path(path)}: {exc.strerror or exc}") from None


def _open_existing(target: OutputDir) -> None:
    tree = target.open()
    try:
        done = recover(tree)
    except (Unsafe, Conflict) as exc:
        raise OutputError(
            f"{target.shown} holds an interrupted commit that tiers cannot finish: {exc} is in "
            f"the way. Move it away and run the command again"
        ) from None
    except BadJournal as exc:
        staging = tree.show(STAGING)
        raise OutputError(
            f"{target.shown} holds an interrupted commit whose journal tiers cannot read: "
            f"{exc}; nothing was moved. The files that commit moved aside, if any, are in "
            f"{staging}/old: put them back by hand, then remove {staging}"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"{target.shown} holds an interrupted commit that tiers cannot finish: "
            f"{exc.strerror or exc}. Run the command again where {target.shown} is writable"
        ) from None
    if done is not None:
        target.notes.append(done)
    target.record = read_record(tree)


def _lock(fd: int) -> None:
    """Wait for DIR's lock: one tiers command at a time writes or recovers it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
            raise
