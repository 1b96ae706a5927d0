"""Staging directories that an earlier tiers left beside DIR when it was
interrupted (``.deploy.tiers-k2j4x9ab/new/0``, ``.../old/0``): it staged
beside DIR, not inside it.

One that holds staged files only (``old/`` empty: nothing had moved yet) is
removed; one whose ``old/`` holds files is kept, with a warning, since it may
hold the only copy of a file of DIR. Anything not of that exact shape is
left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import stat

from tiers.location import display_path

_NAME = re.compile(r"\.(.+)\.tiers-[a-z0-9_]{8}")
_ENTRY = re.compile(r"(stale-)?[0-9]+")
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def sweep(real: str) -> list[str]:
    """Remove or report the old staging directories beside the directory
    ``real``; returns a note for each."""
    parent, name = os.path.split(real)
    try:
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return []
    try:
        found = sorted(n for n in os.listdir(fd) if _is_old_staging(n, name))
        return [note for n in found if (note := _settle(fd, n, os.path.join(parent, n), real))]
    finally:
        os.close(fd)


def _is_old_staging(entry: str, name: str) -> bool:
    match = _NAME.fullmatch(entry)
    return match is not None and match.group(1) == name


def _settle(parent: int, entry: str, path: str, real: str) -> str | None:
    moved = _moved_files(parent, entry)
    shown = display_path(path)
    if moved is None:
        return None
    if moved:
        return (
            f"warning: {shown} was left by an interrupted build of an earlier tiers and holds "
            f"{moved} file(s) moved out of {display_path(real)}; check {display_path(real)} "
            "against it, then remove it"
        )
    try:
        shutil.rmtree(entry, dir_fd=parent)
    except OSError:
        return None
    return f"removed {shown}, the staging of an interrupted build of an earlier tiers"


def _moved_files(parent: int, entry: str) -> int | None:
    """How many files ``old/`` holds; ``None`` when ``entry`` is not of the shape."""
    try:
        fd = os.open(entry, _DIR_FLAGS, dir_fd=parent)
    except OSError:
        return None
    try:
        names = set(os.listdir(fd))
        if not names <= {"new", "old"}:
            return None
        counts = {n: _files(fd, n) for n in names}
    finally:
        os.close(fd)
    if None in counts.values():
        return None
    return counts.get("old") or 0


def _files(parent: int, name: str) -> int | None:
    """How many staged files the directory ``name`` holds (``None``: something else)."""
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
    except OSError:
        return None
    try:
        entries = os.listdir(fd)
        for entry in entries:
            mode = os.stat(entry, dir_fd=fd, follow_symlinks=False).st_mode
            if not (_ENTRY.fullmatch(entry) and stat.S_ISREG(mode)):
                return None
        return len(entries)
    finally:
        os.close(fd)
