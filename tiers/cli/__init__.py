"""The ``tiers`` command line: its commands here, what they share in
:mod:`tiers.cli.run`. Only this package prints and sets exit codes.

Exit codes: 0 success, 1 an invalid app (or drift), 2 a usage error or an
output that cannot be written; ``tiers diff`` exits 3 for an invalid app, so that
CI can tell it from drift.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tiers.cli.run import (
    check_app,
    collector_off,
    echo_json,
    echo_stream,
    layout_files,
    load_ref,
    output_dir,
    prepared,
    print_diagnostics,
    reporting,
    summary,
    use_color,
)

if TYPE_CHECKING:
    from pathlib import Path


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
    with reporting(), prepared(output_dir(output, fmt, layout)) as target:
        resolved, warnings = check_app(app_ref, env)
        if strict and any(w.severity == "warning" for w in warnings):
            sys.exit(1)
        if target is None or output is None:
            echo_stream(resolved) if fmt == "yaml" else echo_json(resolved)
            return
        from tiers.output.write import write_output

        files, source = layout_files(resolved, app_ref, env, layout, target)
        written = write_output(target, files, source, resolved.name)
        click.echo(summary(written, output, target), err=True)


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

    with reporting(invalid_app=3), prepared(directory) as target:
        assert target is not None
        resolved = check_app(app_ref, env)[0]
        keys: dict[str, list[Key]] = {}
        files, source = layout_files(resolved, app_ref, env, layout, target, keys_noted(keys))
        label = str(directory).rstrip("/") or "."
        drift = compare_sides(read_sides(target, resolved.name, source, files, keys), label)
        if not drift:
            click.echo(f"{directory} is up to date with {app_ref}", err=True)
            return
        click.echo(report(drift, use_color(color)), nl=False, color=True)
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

    with reporting():
        resolved = check_app(app_ref, env, emitted=False)[0]
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

    with reporting():
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

    with reporting():
        try:
            app = load_ref(app_ref, env)
            collector_off()
            _, diagnostics = run_validation(app)
        except UserCodeError as exc:
            if fmt != "json":
                raise
            diagnostics = [exc.diagnostic()]
        if fmt == "json":
            import json

            click.echo(json.dumps([d.as_json() for d in diagnostics], indent=2))
        else:
            print_diagnostics(diagnostics, err=False)
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

    with reporting():
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
