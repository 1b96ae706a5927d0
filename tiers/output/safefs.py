"""A directory tree that tiers writes without ever following a symbolic link.

:class:`Tree` holds a directory opened once, as a file descriptor. Every path
below it is checked by :func:`check_name` (plain names: no ``..``, no absolute
path, nothing hidden) and reached one component at a time, each opened
relative to its parent with ``O_NOFOLLOW``: a symbolic link anywhere below the
directory raises :class:`Unsafe`, so nothing is ever read or written through
one, whatever the working directory is or becomes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections import OrderedDict

_COMPONENT = re.compile(r"[A-Za-z0-9][-A-Za-z0-9._:]*")
_MAX_COMPONENT = 255
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_OPEN_DIRS = 64


class Unsafe(Exception):
    """A path tiers will not go through; ``reason`` says why (``a symbolic link``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} ({reason})")
        self.path = path
        self.reason = reason


def check_name(path: str, hidden: bool = False) -> tuple[str, ...]:
    """The components of ``path``, a relative path with ``/``, when each is a
    plain name (letters, digits, ``-``, ``_``, ``.``, ``:``, not starting with
    ``.`` or ``-``, 255 bytes at most; with ``hidden``, a leading ``.`` is
    allowed, but not ``.`` or ``..``); raises :class:`Unsafe` otherwise.

    >>> check_name("backend/deployment-backend.yaml")
    ('backend', 'deployment-backend.yaml')
    >>> check_name("../pwned.yaml")
    Traceback (most recent call last):
    ...
    tiers.output.safefs.Unsafe: ../pwned.yaml (not a plain name: '..')
    """
    parts = tuple(path.split("/"))
    for part in parts:
        plain = part[1:] if hidden and part.startswith(".") else part
        if not _COMPONENT.fullmatch(plain) or len(part.encode()) > _MAX_COMPONENT:
            raise Unsafe(path, f"not a plain name: {part!r}")
    return parts


def is_plain_name(path: str) -> bool:
    """True when :func:`check_name` accepts ``path``."""
    try:
        check_name(path)
    except Unsafe:
        return False
    return True


class Tree:
    """The directory ``fd`` (owned: :meth:`close` closes it) and the paths below
    it, each component opened with ``O_NOFOLLOW``. ``shown`` is how messages name
    the directory; ``hidden`` allows names that start with ``.`` (``.github``).
    The file descriptors of sub-directories are kept, a few at a time."""

    def __init__(self, fd: int, shown: str, hidden: bool = False) -> None:
        self.fd = fd
        self.shown = shown
        self.hidden = hidden
        self._dirs: OrderedDict[tuple[str, ...], int] = OrderedDict()

    def close(self) -> None:
        """Close every file descriptor, the directory's own included."""
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()
        os.close(self.fd)

    def show(self, path: str) -> str:
        """``path`` below the directory, as messages name it."""
        return f"{self.shown}/{path}" if path else self.shown

    def dir_fd(self, parts: tuple[str, ...], create: bool = False) -> int:
        """The descriptor of the directory ``parts`` below this one (``()``: this
        one); with ``create``, missing directories are made. Raises
        :class:`Unsafe` for a link or a file on the way, ``FileNotFoundError``
        for a missing one."""
        if not parts:
            return self.fd
        found = self._dirs.get(parts)
        if found is not None:
            self._dirs.move_to_end(parts)
            return found
        parent = self.dir_fd(parts[:-1], create)
        fd = self._open_dir(parent, parts, create)
        self._dirs[parts] = fd
        if len(self._dirs) > _OPEN_DIRS:
            os.close(self._dirs.popitem(last=False)[1])
        return fd

    def _open_dir(self, parent: int, parts: tuple[str, ...], create: bool) -> int:
        name = parts[-1]
        try:
            try:
                return os.open(name, _DIR_FLAGS, dir_fd=parent)
            except FileNotFoundError:
                if not create:
                    raise
            with contextlib.suppress(FileExistsError):  # made meanwhile: checked below
                os.mkdir(name, 0o777, dir_fd=parent)
            return os.open(name, _DIR_FLAGS, dir_fd=parent)
        except OSError as exc:
            raise self._unsafe_or(exc, "/".join(parts), parent, name) from None

    def _unsafe_or(self, exc: OSError, path: str, parent: int, name: str) -> Exception:
        """``Unsafe`` for a link (``O_NOFOLLOW`` gives ``ELOOP``, or ``ENOTDIR``
        with ``O_DIRECTORY``) or a file on the way; else ``exc`` itself."""
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            return exc
        try:
            link = stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode)
        except OSError:
            link = exc.errno == errno.ELOOP
        return Unsafe(self.show(path), "a symbolic link" if link else "not a directory")

    def parent(self, path: str, create: bool = False) -> tuple[int, str]:
        """The descriptor of ``path``'s directory and ``path``'s last name;
        ``path`` is checked by :func:`check_name`."""
        parts = check_name(path, self.hidden)
        return self.dir_fd(parts[:-1], create), parts[-1]

    def lstat(self, path: str) -> os.stat_result | None:
        """``path``'s own status (a link's, not its target's); ``None`` when
        neither it nor its directory exists."""
        try:
            fd, name = self.parent(path)
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def open_regular(self, path: str) -> int | None:
        """A descriptor to read the regular file ``path``; ``None`` when it does
        not exist. Raises :class:`Unsafe` for a link, a directory, a FIFO..."""
        fd, name = -1, ""
        try:
            fd, name = self.parent(path)
            handle = os.open(name, _READ_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._unsafe_or(exc, path, fd, name) from None
        kind = stat.S_IFMT(os.fstat(handle).st_mode)
        if kind != stat.S_IFREG:
            os.close(handle)
            raise Unsafe(self.show(path), _KINDS.get(kind, "not a regular file"))
        return handle

    def read(self, path: str) -> bytes | None:
        """The bytes of the regular file ``path`` (``None``: there is none)."""
        handle = self.open_regular(path)
        if handle is None:
            return None
        try:
            return read_all(handle)
        finally:
            os.close(handle)

    def create(self, path: str, data: bytes, mode: int) -> None:
        """Write a new file ``path`` (failing if anything, a link included, is
        there), making its directories."""
        fd, name = self.parent(path, create=True)
        write_new(fd, name, data, mode)


_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO"}


def read_all(fd: int) -> bytes:
    """Everything left to read from ``fd``."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def write_new(directory: int, name: str, data: bytes, mode: int) -> None:
    """Create ``name`` in ``directory`` (never through a link, never over a
    file) holding ``data``, with permissions ``mode``."""
    fd = os.open(name, _CREATE_FLAGS, mode, dir_fd=directory)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def exists(directory: int, name: str) -> bool:
    """True when ``name`` (a link included, dangling or not) is in ``directory``."""
    try:
        os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def umask() -> int:
    """The process's umask (read without changing it for longer than a call)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
