"""What the commands share: loading and checking APP, printing diagnostics,
turning tiers' errors into messages and exit codes, and the output
directory's preparation and summary.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pathlib import Path

    from tiers.diagnostics import Diagnostic
    from tiers.ir import App as ResolvedApp
    from tiers.model.app import App
    from tiers.output.emit import Files
    from tiers.output.layouts import Note
    from tiers.output.outdir import OutputDir
    from tiers.output.write import Written


def output_dir(output: Path | None, fmt: str, layout: str | None) -> Path | None:
    """The DIR of ``-o``, or ``None`` for stdout (``-o -``, or no ``-o``)."""
    from tiers.errors import UsageError

    if output is not None and str(output) in ("-", ""):
        if str(output) == "":
            raise UsageError("-o needs a directory (or - for stdout)")
        output = None
    if output is not None and str(output) in ("json", "yaml", "yml"):
        raise UsageError(
            f"-o takes a directory; for {str(output).upper()} on stdout, use --format "
            f"{'json' if str(output) == 'json' else 'yaml'} (or -o ./{output} for a directory "
            f"named {output})"
        )
    if output is None and layout is not None:
        raise UsageError("--layout chooses the files of -o DIR; without -o, it is a stream")
    if output is not None and fmt != "yaml":
        raise UsageError("--format json writes a stream to stdout; files in -o DIR are YAML")
    return output


def echo_json(resolved: ResolvedApp) -> None:
    """The app's objects as one ``v1`` ``List`` in JSON on stdout."""
    import json

    from tiers.compiler import objects_each

    items = [rendered.manifest for rendered in objects_each(resolved)]
    document = {"apiVersion": "v1", "kind": "List", "items": items}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def load_ref(app_ref: str, env: str | None = None) -> App:
    """The app, loaded with its standard output kept off tiers' own (YAML,
    JSON) and shown on stderr as the app's."""
    from tiers.capture import stdout_captured
    from tiers.loader import load_app

    try:
        with stdout_captured() as captured:
            return load_app(app_ref, env)
    finally:
        show_app_output(app_ref, captured.text, captured.dropped)


def show_app_output(app_ref: str, text: str, dropped: int) -> None:
    if not text:
        return
    click.echo(f"tiers: {app_ref} wrote to standard output while it was loaded:", err=True)
    click.echo(text, err=True, nl=not text.endswith("\n"))
    if dropped:
        click.echo(f"tiers: ({dropped} more characters not shown)", err=True)


def check_app(
    app_ref: str, env: str | None, emitted: bool = True
) -> tuple[ResolvedApp, list[Diagnostic]]:
    """APP loaded and checked, its warnings printed; an error raises."""
    from tiers.compiler import check

    app = load_ref(app_ref, env)
    collector_off()
    resolved, warnings = check(app, emitted)
    print_diagnostics(warnings)
    return resolved, warnings


def collector_off() -> None:
    """Once the app has run: what the command makes from here on (the resolved
    app, each tier's objects, the files' text) holds no reference cycles, and the
    app and its IR live until exit, so the cycle collector only costs time (half
    a second of a 3,000-tier build, scanning the growing IR; the peak memory is
    the same without it). The app's own code ran with it; :func:`reporting`
    turns it on again when the command ends, for what comes after."""
    gc.freeze()
    gc.disable()


def echo_stream(resolved: ResolvedApp) -> None:
    """The app's objects as one YAML stream on stdout, each written as it is made."""
    from tiers.compiler import objects_each
    from tiers.output.emit import stream_each

    for piece in stream_each(objects_each(resolved)):
        sys.stdout.write(piece)
    sys.stdout.flush()


@contextmanager
def prepared(directory: Path | None) -> Iterator[OutputDir | None]:
    """DIR resolved, locked and recovered before the app runs (``None``: no DIR)."""
    if directory is None:
        yield None
        return
    from tiers.output.outdir import prepare_output

    with prepare_output(directory) as target:
        for note in target.notes:
            click.echo(f"tiers: {note}", err=True)
        yield target


def summary(written: Written, output: Path, target: OutputDir) -> str:
    link = f", a link to {target.real}," if target.link else ""
    counts = f"{written.unchanged} unchanged"
    if written.removed:
        counts += f", {written.removed} removed"
    return f"wrote {written.written} file(s) to {output}{link} ({counts})"


def layout_files(
    resolved: ResolvedApp,
    app_ref: str,
    env: str | None,
    layout: str | None,
    target: OutputDir,
    note: Note | None = None,
) -> tuple[Files, str]:
    """The files of the chosen layout, made one tier at a time as they are
    read (``note`` told each object's file), and the source named in their header."""
    from tiers.compiler import objects_each
    from tiers.output.layouts import choose_layout, layout_each, recorded_layout

    chosen = choose_layout(layout, None, recorded_layout(target.record))
    files = layout_each(objects_each(resolved), chosen, resolved.name, note)
    from tiers.loader import source_name

    source = source_name(app_ref)
    return files, source if env is None else f"{source} --env {env}"


def use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def print_diagnostics(diagnostics: list[Diagnostic], err: bool = True) -> None:
    for diagnostic in diagnostics:
        # a value UTF-8 cannot carry (a lone surrogate) is shown escaped, as '\udcff'
        text = str(diagnostic).encode("utf-8", "backslashreplace").decode("utf-8")
        click.echo(text, err=err)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    accepted = sum(1 for d in diagnostics if d.severity == "accepted")
    warnings = len(diagnostics) - errors - accepted
    if diagnostics:
        more = f", {accepted} accepted" if accepted else ""
        click.echo(f"{errors} error(s), {warnings} warning(s){more}", err=err)


@contextmanager
def reporting(invalid_app: int = 1) -> Iterator[None]:
    """Turn tiers' errors into messages and exit codes (``invalid_app`` for an
    invalid app or one that raised while it was loaded); never a traceback."""
    from tiers.errors import (
        ImportFailedError,
        ImportInputError,
        InvalidAppError,
        OutputError,
        UsageError,
        UserCodeError,
    )

    collecting = gc.isenabled()
    try:
        yield
    except InvalidAppError as exc:
        print_diagnostics(exc.diagnostics)
        sys.exit(invalid_app)
    except ImportInputError as exc:
        click.echo(f"tiers: error: {exc}", err=True)
        sys.exit(1)
    except ImportFailedError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(f"tiers: error: {exc}; nothing was written", err=True)
        sys.exit(1)
    except UserCodeError as exc:
        click.echo(f"error: {exc.app} raised an exception while it was loaded:", err=True)
        if exc.frames:
            click.echo("Traceback (your code only):", err=True)
            for frame in exc.frames:
                click.echo(frame, err=True)
        click.echo(exc.summary, err=True)
        sys.exit(invalid_app)
    except UsageError as exc:
        click.echo(f"tiers: error: {exc}", err=True)
        sys.exit(2)
    except OutputError as exc:
        click.echo(f"tiers: error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(
            f"tiers: error: could not write the output ({exc}); it was left as it was", err=True
        )
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("tiers: interrupted; nothing was written", err=True)
        sys.exit(130)
    finally:
        if collecting and not gc.isenabled():  # as collector_off found it
            gc.freeze()  # what the command made, left to reference counting: a scan costs more
            gc.enable()
