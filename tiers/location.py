"""Where in the user's own code a thing was defined."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

_PACKAGE_DIR = str(Path(__file__).resolve().parent)
_SKIPPED = (_PACKAGE_DIR + os.sep, os.path.dirname(os.__file__) + os.sep)


@dataclass(frozen=True, order=True)
class Location:
    """A file and line in the user's app definition."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}"


UNKNOWN = Location("<unknown>", 0)


def display_path(path: str) -> str:
    """``path`` relative to the working directory when it lies below it."""
    if path.startswith("<"):
        return path
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


@functools.lru_cache(maxsize=1024)
def is_library_file(filename: str) -> bool:
    """True for tiers' own modules, the standard library and installed packages."""
    if filename.startswith("<") or "site-packages" in filename:
        return True
    return os.path.abspath(filename).startswith(_SKIPPED)


@functools.lru_cache(maxsize=1024)
def _absolute(filename: str) -> str:
    return os.path.abspath(filename)


def caller_location() -> Location:
    """The innermost frame of the call stack that belongs to the user's code.

    Every model object calls this when it is made, so file names are judged
    once each and the absolute path is shared."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not is_library_file(filename):
            return Location(_absolute(filename), frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return UNKNOWN
