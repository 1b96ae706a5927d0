"""Keep what an app writes to standard output out of tiers' own output.

``tiers build`` writes YAML to stdout and ``tiers validate --format json``
writes JSON there; a ``print()`` in the app (or a program it runs) would
corrupt either. :func:`stdout_captured` takes standard output away from the
code it wraps, at the file-descriptor level too (``os.system("echo")`` and C
extensions included), and gives back what was written, for the CLI to show
on stderr as the app's output.

>>> with stdout_captured() as captured:
...     print("hello from the app")
>>> captured.text
'hello from the app\\n'
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

LIMIT = 64 * 1024
"""At most this many characters of the app's output are kept (the rest is
counted, not shown)."""


@dataclass
class Captured:
    """What the wrapped code wrote to standard output."""

    text: str = ""
    dropped: int = 0


class _Kept(io.BytesIO):
    """The bytes the block writes, kept when the block closes its stdout."""

    def close(self) -> None:
        return


@contextlib.contextmanager
def stdout_captured() -> Iterator[Captured]:
    """Standard output, Python's and the process's, goes to a buffer while
    the block runs; the block's output is in the yielded :class:`Captured`.
    Whatever the block does to ``sys.stdout`` (writes bytes to its ``buffer``,
    closes it, replaces it), tiers' own is back afterwards; and once tiers
    is done, what the app still writes at exit (``atexit``) goes to stderr."""
    captured = Captured()
    kept = _Kept()
    buffer = io.TextIOWrapper(kept, encoding="utf-8", errors="replace", write_through=True)
    # the main thread's stream is in place before the block ends, so that a
    # thread the app started never finds tiers' own stdout between the two
    sys.stdout = _MainThreadOnly(sys.stdout)
    with _descriptor_captured() as spool, contextlib.redirect_stdout(buffer):
        try:
            yield captured
        finally:
            with contextlib.suppress(OSError, ValueError):
                buffer.flush()
            text = kept.getvalue().decode("utf-8", "replace")
            _collect(captured, text + _read(spool))
    atexit.unregister(_stdout_to_stderr)  # once, and after the app's: run before them
    atexit.register(_stdout_to_stderr)


class _MainThreadOnly:
    """``sys.stdout`` once the app is loaded: tiers' own stream for the main
    thread, which writes tiers' output; stderr for any thread the app left
    running, so that its ``print()`` never lands in the YAML or JSON."""

    def __init__(self, own: IO[str]) -> None:
        self._own = own

    def write(self, text: str) -> int:
        if threading.current_thread() is threading.main_thread():
            return self._own.write(text)
        return sys.stderr.write(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._own, name)


def _stdout_to_stderr() -> None:
    """Point standard output at stderr: tiers has written all it writes."""
    _flush(sys.stdout)
    with contextlib.suppress(OSError):
        os.dup2(2, 1)
    sys.stdout = sys.stderr


def _collect(captured: Captured, text: str) -> None:
    captured.text = text[:LIMIT]
    captured.dropped = max(0, len(text) - LIMIT)


@contextlib.contextmanager
def _descriptor_captured() -> Iterator[IO[bytes] | None]:
    """File descriptor 1 pointed at a temporary file while the block runs;
    ``None`` when the process has no usable descriptor 1 (nothing to protect)."""
    try:
        saved = os.dup(1)
    except OSError:
        yield None
        return
    with tempfile.TemporaryFile() as spool:
        _flush(sys.__stdout__)
        os.dup2(spool.fileno(), 1)
        try:
            yield spool
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _flush(stream: IO[str] | None) -> None:
    """Write out what tiers itself buffered for descriptor 1 before it is taken away."""
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            stream.flush()


def _read(spool: IO[bytes] | None) -> str:
    if spool is None:
        return ""
    spool.seek(0)
    return spool.read(LIMIT * 4 + 1).decode("utf-8", "replace")
