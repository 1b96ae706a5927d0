"""The ``tiers`` command line. Only this module prints and sets exit codes.

Exit codes: 0 success, 1 an invalid app (or drift), 2 a usage error or an
output that cannot be written; ``tiers diff`` exits 3 for an invalid app, so that
CI can tell it from drift.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

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


class _PathType(click.Path):
    """``click.Path`` that gives a :class:`pathlib.Path`, importing pathlib only
    when a path is given (not for ``--help``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        if value == "":
            self.fail("is empty: name a path (. for the working directory)", param, ctx)
        return Path(os.fsdecode(super().convert(value, param, ctx)))


F = TypeVar("F", bound=Callable[..., object])

APP_HELP = """\b
APP is path/to/app.py (its one App), path/to/app.py:name, or package.module:name.
Exit codes: 0 success, 1 an invalid app, 2 a usage error or an unwritable output.
"""

EPILOG = """\b
Exit codes: 0 success, 1 an invalid app (or drift), 2 a usage error or an
unwritable output; tiers diff: 0 in sync, 1 drift, 2 a usage error or an
unreadable DIR, 3 an invalid app.
\b
Examples:
  tiers build examples/multi_tier.py              # YAML stream to stdout
  tiers build examples/multi_tier.py -o deploy/   # one file per tier
  tiers build examples/environments.py --env prod -o deploy/prod/
  tiers diff examples/multi_tier.py deploy/       # exit 1 when deploy/ is stale
  tiers graph examples/multi_tier.py --format mermaid
  tiers init my-app/
  tiers validate examples/multi_tier.py --format json
  tiers import k8s/ -o app.py                     # existing YAML into an app
  tiers completion bash > ~/.local/share/bash-completion/completions/tiers
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tiers", prog_name="tiers")
def main() -> None:
    """Compile typed Python descriptions of an application's tiers into
    Kubernetes manifests, with the wiring between tiers resolved and checked."""


ENV_OPTION = click.option(
    "--env",
    metavar="ENV",
    help="The environment to build, for an app with environments (default: its default).",
)
LAYOUT_OPTION = click.option(
    "--layout",
    type=click.Choice(["stream", "tier", "resource"]),
    help="stream: DIR/<app>.yaml; tier: DIR/<tier>.yaml; resource: DIR/<tier>/<kind>-<name>.yaml. "
    "Default: the layout DIR already has, else tier.",
)


@main.command(epilog=APP_HELP)
@click.argument("app_ref", metavar="APP")
@click.option(
    "-o",
    "--output",
    type=_PathType(file_okay=False),
    metavar="DIR",
    help="Write the files of --layout and a kustomization.yaml to DIR (- for stdout, "
    "the default: one stream).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="The stream's format: yaml (documents), or json (one v1 List, for tools that "
    "read JSON). Files in DIR are always YAML.",
)
@LAYOUT_OPTION
@ENV_OPTION
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on warnings too; write nothing. Warnings a tier accepts "
    "(accept={code: why}) are shown, not counted.",
)
def build(
    app_ref: str,
    output: Path | None,
    fmt: str,
    layout: str | None,
    env: str | None,
    strict: bool,
) -> None:
    """Compile APP into Kubernetes YAML.

    Runs every check first; on any error (or, with --strict, any warning)
    nothing is written. With -o, the app's files whose bytes change are
    replaced (the others are not touched), files of tiers that left the app
    (or of another layout) are removed, and files tiers did not write for
    this app, or through a symbolic link, are never touched. DIR holds one
    app; a build killed halfway is finished or undone by the next command.
    """
    with _reporting(), _prepared(_output_dir(output, fmt, layout)) as target:
        resolved, warnings = _check(app_ref, env)
        if strict and any(w.severity == "warning" for w in warnings):
            sys.exit(1)
        if target is None or output is None:
            _echo_stream(resolved) if fmt == "yaml" else _echo_json(resolved)
            return
        from tiers.output.write import write_output

        files, source = _layout_files(resolved, app_ref, env, layout, target)
        written = write_output(target, files, source, resolved.name)
        click.echo(_summary(written, output, target), err=True)


@main.command(epilog=APP_HELP)
@click.argument("app_ref", metavar="APP")
@click.argument("directory", metavar="DIR", type=_PathType(file_okay=False))
@LAYOUT_OPTION
@ENV_OPTION
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="auto: colour on a terminal, unless NO_COLOR is set.",
)
def diff(app_ref: str, directory: Path, layout: str | None, env: str | None, color: str) -> None:
    """Compare what APP builds with the manifests committed in DIR.

    Exit 0 when they agree; exit 1 and print, for each object changed, added
    or removed (and each stale file), a unified diff. For CI and pre-commit.
    Exit 2 on a usage error and 3 when APP is invalid (nothing is compared).
    """
    from tiers.output.committed import keys_noted, read_sides
    from tiers.output.drift import Key, compare_sides, report

    with _reporting(invalid_app=3), _prepared(directory) as target:
        assert target is not None
        resolved = _check(app_ref, env)[0]
        keys: dict[str, list[Key]] = {}
        files, source = _layout_files(resolved, app_ref, env, layout, target, keys_noted(keys))
        label = str(directory).rstrip("/") or "."
        drift = compare_sides(read_sides(target, resolved.name, source, files, keys), label)
        if not drift:
            click.echo(f"{directory} is up to date with {app_ref}", err=True)
            return
        click.echo(report(drift, _use_color(color)), nl=False, color=True)
        extra = "".join(f" --{k} {v}" for k, v in (("layout", layout), ("env", env)) if v)
        fix = f"tiers build {app_ref}{extra} -o {directory}"
        click.echo(f"{directory} is stale: run {fix}", err=True)
        sys.exit(1)


@main.command(epilog=APP_HELP)
@click.argument("app_ref", metavar="APP")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg"]),
    default="mermaid",
    show_default=True,
    help="svg needs Graphviz's dot on PATH (exit 2 when it is missing).",
)
@ENV_OPTION
def graph(app_ref: str, fmt: str, env: str | None) -> None:
    """Draw APP's tiers and the references between them.

    Drawn from the resolved app, without rendering its manifests: APP is
    checked as written (exit 1 on an error); tiers validate and tiers build
    also check the objects as emitted.
    """
    from tiers.graph import draw

    with _reporting():
        resolved = _check(app_ref, env, emitted=False)[0]
        click.echo(draw(resolved, fmt), nl=False)  # type: ignore[arg-type]


@main.command()
@click.argument("directory", metavar="DIR", type=_PathType(file_okay=False))
@click.option("--name", help="The app's name (a DNS label). Default: DIR's name.")
@click.option(
    "--install",
    metavar="SPEC",
    help="What the CI workflow pip-installs. Default: the Git commit this tiers was "
    "installed from (pip install git+URL@REV), else tiers==VERSION from the index.",
)
def init(directory: Path, name: str | None, install: str | None) -> None:
    """Start a new app project in DIR: app.py, README.md and a CI workflow.

    Refuses (exit 2, writing nothing) when any of those files exists.
    """
    from tiers import __version__
    from tiers.scaffold import init_project

    with _reporting():
        for path in init_project(directory, name, __version__, install):
            click.echo(f"wrote {path}", err=True)
        click.echo(f"next: tiers build {directory / 'app.py'} -o {directory / 'deploy'}", err=True)


@main.command(epilog=APP_HELP)
@click.argument("app_ref", metavar="APP")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on warnings too. Warnings a tier accepts (accept={code: why}) "
    "are shown, not counted.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints a list of {file, line, severity, tier, field, code, message}; "
    "an accepted warning has severity accepted and its reason.",
)
@ENV_OPTION
def validate(app_ref: str, strict: bool, fmt: str, env: str | None) -> None:
    """Check APP and print every problem at once.

    Problems are sorted by file and line. Exit 0 when clean, 1 on errors (or
    on warnings with --strict).
    """
    from tiers.compiler import validate as run_validation
    from tiers.errors import UserCodeError

    with _reporting():
        try:
            app = _load(app_ref, env)
            _collector_off()
            _, diagnostics = run_validation(app)
        except UserCodeError as exc:
            if fmt != "json":
                raise
            diagnostics = [exc.diagnostic()]
        if fmt == "json":
            import json

            click.echo(json.dumps([d.as_json() for d in diagnostics], indent=2))
        else:
            _print_diagnostics(diagnostics, err=False)
        failing = {"error", "warning"} if strict else {"error"}
        if any(d.severity in failing for d in diagnostics):
            sys.exit(1)


@main.command("import")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "-o",
    "--output",
    type=_PathType(dir_okay=False),
    help="The Python file to write (required; - for stdout).",
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option("--name", help="The app's name (default: from the objects, else OUTPUT's stem).")
@click.option("--namespace", help="The app's namespace (default: the workloads' most common).")
@click.option(
    "--cluster-domain",
    default="cluster.local",
    show_default=True,
    help="The cluster's DNS domain, to recognise FQDNs of the imported Services.",
)
def import_(
    paths: tuple[str, ...],
    output: Path | None,
    force: bool,
    name: str | None,
    namespace: str | None,
    cluster_domain: str,
) -> None:
    """Turn Kubernetes YAML into a tiers app.

    PATH is a YAML file (several documents allowed), a directory (searched for
    *.yaml and *.yml) or - for stdin (kubectl kustomize output, say). Each
    Deployment or StatefulSet becomes a tier with the Services that select its
    pods; fields tiers does not model are kept as patches. Every object that
    is not imported gets a warning, on stderr and at the top of OUTPUT.

    Exit 0 when written, 1 when an input is not valid YAML, 2 on a usage error
    or when OUTPUT cannot be written.
    """
    from tiers.errors import UsageError

    with _reporting():
        if not paths:
            raise UsageError("tiers import needs at least one PATH (a file, a directory or -)")
        if output is None:
            raise UsageError("tiers import needs -o OUTPUT (the Python file to write, or -)")
        if str(output) != "-" and os.path.lexists(output) and not force:
            raise UsageError(f"{output} exists; use --force to overwrite it")
        _import(paths, output, name, namespace, cluster_domain)


def _import(
    paths: tuple[str, ...], output: Path, name: str | None, namespace: str | None, domain: str
) -> None:
    import gc

    from tiers.importer import Options, import_sources
    from tiers.importer.read import read_sources

    stem = output.stem if str(output) != "-" else "app"
    options = Options(name, namespace, domain, stem.replace("_", "-").lower(), paths)
    # what the import makes lives until the app is written, and its cyclic
    # garbage does not grow with the input (with the collector off, an import
    # of 3,000 tiers leaves the 725 objects one of 3 leaves): collecting would
    # scan the live objects again and again, a sixth of a large import's time
    gc.disable()
    try:
        imported = import_sources(read_sources(paths, sys.stdin), options)
    finally:
        gc.enable()
    for warning in imported.warnings:
        click.echo(f"tiers: warning: {warning}", err=True)
    if str(output) == "-":
        click.echo(imported.code, nl=False)
        return
    from tiers.scaffold import replace_file

    replace_file(output, imported.code)
    click.echo(
        f"wrote {output}: {imported.tiers} tier(s), {len(imported.warnings)} warning(s)", err=True
    )


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    bash: tiers completion bash > ~/.local/share/bash-completion/completions/tiers
    zsh:  tiers completion zsh > "${fpath[1]}/_tiers"
    fish: tiers completion fish > ~/.config/fish/completions/tiers.fish
    """
    from click.shell_completion import get_completion_class

    complete = get_completion_class(shell)
    assert complete is not None  # every choice is a shell click knows
    click.echo(complete(main, {}, "tiers", "_TIERS_COMPLETE").source())


def _output_dir(output: Path | None, fmt: str, layout: str | None) -> Path | None:
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


def _echo_json(resolved: ResolvedApp) -> None:
    """The app's objects as one ``v1`` ``List`` in JSON on stdout."""
    import json

    from tiers.compiler import objects_each

    items = [rendered.manifest for rendered in objects_each(resolved)]
    document = {"apiVersion": "v1", "kind": "List", "items": items}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _load(app_ref: str, env: str | None = None) -> App:
    """The app, loaded with its standard output kept off tiers' own (YAML,
    JSON) and shown on stderr as the app's."""
    from tiers.capture import stdout_captured
    from tiers.loader import load_app

    try:
        with stdout_captured() as captured:
            return load_app(app_ref, env)
    finally:
        _show_app_output(app_ref, captured.text, captured.dropped)


def _show_app_output(app_ref: str, text: str, dropped: int) -> None:
    if not text:
        return
    click.echo(f"tiers: {app_ref} wrote to standard output while it was loaded:", err=True)
    click.echo(text, err=True, nl=not text.endswith("\n"))
    if dropped:
        click.echo(f"tiers: ({dropped} more characters not shown)", err=True)


def _check(
    app_ref: str, env: str | None, emitted: bool = True
) -> tuple[ResolvedApp, list[Diagnostic]]:
    from tiers.compiler import check

    app = _load(app_ref, env)
    _collector_off()
    resolved, warnings = check(app, emitted)
    _print_diagnostics(warnings)
    return resolved, warnings


def _collector_off() -> None:
    """Once the app has run: what the command makes from here on (the resolved
    app, each tier's objects, the files' text) holds no reference cycles, and the
    app and its IR live until exit, so the cycle collector only costs time (half
    a second of a 3,000-tier build, scanning the growing IR; the peak memory is
    the same without it). The app's own code ran with it; :func:`_reporting`
    turns it on again when the command ends, for what comes after."""
    gc.freeze()
    gc.disable()


def _echo_stream(resolved: ResolvedApp) -> None:
    """The app's objects as one YAML stream on stdout, each written as it is made."""
    from tiers.compiler import objects_each
    from tiers.output.emit import stream_each

    for piece in stream_each(objects_each(resolved)):
        sys.stdout.write(piece)
    sys.stdout.flush()


@contextmanager
def _prepared(directory: Path | None) -> Iterator[OutputDir | None]:
    """DIR resolved, locked and recovered before the app runs (``None``: no DIR)."""
    if directory is None:
        yield None
        return
    from tiers.output.outdir import prepare_output

    with prepare_output(directory) as target:
        for note in target.notes:
            click.echo(f"tiers: {note}", err=True)
        yield target


def _summary(written: Written, output: Path, target: OutputDir) -> str:
    link = f", a link to {target.real}," if target.link else ""
    counts = f"{written.unchanged} unchanged"
    if written.removed:
        counts += f", {written.removed} removed"
    return f"wrote {written.written} file(s) to {output}{link} ({counts})"


def _layout_files(
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


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _print_diagnostics(diagnostics: list[Diagnostic], err: bool = True) -> None:
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
def _reporting(invalid_app: int = 1) -> Iterator[None]:
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
        _print_diagnostics(exc.diagnostics)
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
        if collecting and not gc.isenabled():  # as _collector_off found it
            gc.freeze()  # what the command made, left to reference counting: a scan costs more
            gc.enable()
