"""Find the app an APP argument names: ``path/to/app.py``,
``path/to/app.py:name`` or ``package.module:name``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from tiers.errors import UsageError, UserCodeError
from tiers.location import UNKNOWN, Location, display_path, is_library_file
from tiers.model.app import App
from tiers.model.environments import Environments


def load_app(ref: str, env: str | None = None) -> App:
    """The :class:`~tiers.model.app.App` that ``ref`` names, for environment ``env``
    when it names an app with :mod:`~tiers.model.environments` (default: its default).

    Raises :class:`~tiers.errors.UsageError` when ``ref`` names no app or an
    unknown environment, and :class:`~tiers.errors.UserCodeError` when the
    user's module raises.
    """
    target, _, attr = _split(ref)
    module = _load_file(ref, Path(target)) if _is_path(target) else _import(ref, target)
    found = _find_app(ref, module, attr or None)
    if isinstance(found, Environments):
        return _for_env(ref, found, env)
    if env is not None:
        raise UsageError(f"{ref}: the app has no environments; drop --env {env}")
    return found


def _for_env(ref: str, envs: Environments[str], env: str | None) -> App:
    known = ", ".join(envs.names)
    chosen = env if env is not None else envs.default
    if chosen is None:
        raise UsageError(f"{ref}: the app has environments; choose one with --env ({known})")
    if chosen not in envs.names:
        raise UsageError(f"{ref}: unknown environment '{chosen}' (environments: {known})")
    box: list[object] = []
    _run(ref, lambda: box.append(envs(chosen)))
    if not isinstance(box[0], App):
        kind = type(box[0]).__name__
        raise UsageError(f"{ref}: {envs.__name__}({chosen!r}) returned a {kind}, not a tiers.App")
    return box[0]


def _split(ref: str) -> tuple[str, str, str]:
    target, sep, attr = ref.rpartition(":")
    if not sep or "/" in attr or "\\" in attr or attr.endswith(".py"):
        return ref, "", ""
    return target, sep, attr


def source_name(ref: str) -> str:
    """``ref`` as the header of the files names it: a path in its normal form
    (``./examples/app.py`` and ``examples//app.py`` are ``examples/app.py``),
    so that another spelling of the same APP rewrites no file."""
    target, sep, attr = _split(ref)
    if not _is_path(target):
        return ref
    return os.path.normpath(target).replace(os.sep, "/") + sep + attr


def _is_path(target: str) -> bool:
    return target.endswith(".py") or "/" in target or "\\" in target or Path(target).is_file()


def _load_file(ref: str, path: Path) -> ModuleType:
    if path.is_dir():
        raise UsageError(_a_directory(path))
    if not path.is_file():
        raise UsageError(
            f"{path}: no such file (APP is path/to/app.py[:name] or package.module:name)"
        )
    path = path.resolve()
    name = f"_tiers_app_{zlib.crc32(str(path).encode()):08x}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{display_path(str(path))}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    with _searched_first(path.parent):
        _run(ref, lambda: spec.loader.exec_module(module))  # type: ignore[union-attr]
    return module


def _a_directory(path: Path) -> str:
    """The message for an APP that names a directory, with the app files in it."""
    found = sorted(p.name for p in path.glob("*.py"))[:3]
    example = path / ("app.py" if "app.py" in found or not found else found[0])
    listed = f" (Python files in it: {', '.join(found)})" if found else ""
    return f"{path} is a directory{listed}; APP is the app's Python file: for example {example}"


@contextmanager
def _searched_first(directory: Path) -> Iterator[None]:
    """Imports look in ``directory`` first while the user's module loads."""
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path.remove(str(directory))


def _import(ref: str, dotted: str) -> ModuleType:
    """Import ``dotted`` from the working directory or the installed packages,
    whether tiers runs as ``tiers`` or as ``python -m tiers``."""
    with _searched_first(Path.cwd()):
        return _import_found(ref, dotted)


def _import_found(ref: str, dotted: str) -> ModuleType:
    try:
        found = importlib.util.find_spec(dotted)
    except (ImportError, ValueError):
        found = None
    if found is None:
        raise UsageError(
            f"{ref}: no file or module named '{dotted}' "
            "(APP is path/to/app.py[:name] or package.module:name)"
        )
    box: list[ModuleType] = []
    _run(ref, lambda: box.append(importlib.import_module(dotted)))
    return box[0]


def _run(ref: str, action: Callable[[], object]) -> None:
    """Run the user's ``action``; the working directory it may change is
    given back after, so that paths in messages stay the user's."""
    cwd = os.getcwd()
    try:
        action()
    except KeyboardInterrupt:
        raise
    except SyntaxError as exc:
        where = Location(os.path.abspath(exc.filename or ref), exc.lineno or 0)
        raise UserCodeError(ref, f"{where}: SyntaxError: {exc.msg}", [], where) from None
    except BaseException as exc:
        raise _user_error(ref, exc) from None
    finally:
        if os.getcwd() != cwd:
            os.chdir(cwd)


def _user_error(ref: str, exc: BaseException) -> UserCodeError:
    import traceback  # only for an app that raises

    own = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not is_library_file(f.filename) and not f.filename.startswith("<frozen")
    ]
    frames = _collapsed(
        [
            f'  File "{display_path(f.filename)}", line {f.lineno}, in {f.name}\n    {f.line}'
            for f in own
        ]
    )
    summary = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    where = Location(os.path.abspath(own[-1].filename), own[-1].lineno or 0) if own else UNKNOWN
    return UserCodeError(ref, summary, frames, where)


REPEATS_SHOWN = 3
"""A frame repeated more often than this (a runaway recursion) is shown this
many times, then counted, as Python's own tracebacks do."""


def _collapsed(frames: list[str]) -> list[str]:
    """``frames`` with each run of one repeated frame cut to :data:`REPEATS_SHOWN`."""
    result: list[str] = []
    run = 0
    for index, frame in enumerate(frames):
        run = run + 1 if index and frame == frames[index - 1] else 1
        if run <= REPEATS_SHOWN:
            result.append(frame)
        last = index + 1 == len(frames) or frames[index + 1] != frame
        if last and run > REPEATS_SHOWN:
            result.append(f"  [the frame above repeated {run - REPEATS_SHOWN} more times]")
    return result


def _find_app(ref: str, module: ModuleType, attr: str | None) -> App | Environments[str]:
    if attr is not None:
        if not hasattr(module, attr):
            names = ", ".join(_app_names(module)) or "none"
            raise UsageError(f"{ref}: the module has no attribute '{attr}' (its apps: {names})")
        value = getattr(module, attr)
        if isinstance(value, Environments):
            return value
        if callable(value) and not isinstance(value, App):
            _run(ref, lambda: setattr(module, attr, value()))
            value = getattr(module, attr)
        if not isinstance(value, App):
            raise UsageError(f"{ref}: '{attr}' is of type {type(value).__name__}, not a tiers.App")
        return value
    found = _app_names(module)
    if not found:
        raise UsageError(f"{ref}: the module defines no tiers.App")
    if len(found) > 1:
        choices = ", ".join(f"{ref}:{n}" for n in found)
        raise UsageError(f"{ref}: the module defines several apps; name one: {choices}")
    app = getattr(module, found[0])
    assert isinstance(app, App | Environments)
    return app


def _app_names(module: ModuleType) -> list[str]:
    seen: dict[int, str] = {}
    for name, value in vars(module).items():
        if isinstance(value, App | Environments) and not name.startswith("_"):
            seen.setdefault(id(value), name)
    return list(seen.values())
