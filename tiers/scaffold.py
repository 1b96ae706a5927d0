"""Scaffolding: a new app project written from the Jinja2 templates in
``templates/init/``: ``app.py`` (a three-tier app), ``README.md`` and a CI
workflow that fails when the committed manifests are stale. Also the one file
``tiers import`` writes.

Neither ever writes through a symbolic link: the project's files are created
new (a link, even a dangling one, counts as a file that exists), below the
directory resolved once (:mod:`tiers.output.outdir`).
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import jinja2

from tiers.errors import OutputError, UsageError
from tiers.location import display_path
from tiers.output.safefs import Tree, Unsafe, umask, write_new
from tiers.render.templates import template_dir

PROJECT_FILES = {
    "app.py": "app.py.j2",
    "README.md": "README.md.j2",
    ".github/workflows/tiers.yml": "tiers.yml.j2",
}
"""Path in the new project → its template under ``templates/init/``."""

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def project_name(directory: Path, name: str | None) -> str:
    """``name``, or the directory's name; a DNS label either way (it names the app)."""
    chosen = name if name is not None else directory.resolve().name
    if not _DNS_LABEL.match(chosen):
        source = "--name" if name is not None else f"the directory name '{chosen}'"
        raise UsageError(
            f"{source} cannot name an app: use lower-case letters, digits and '-', "
            "63 at most, starting and ending with a letter or digit "
            "(pass --name my-app to choose another)"
        )
    return chosen


ACTIONS = {
    "checkout": "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1",
    "setup_python": "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97  # v7.0.0",
}
"""The actions the workflow uses, pinned to the commits of their release tags."""


def install_spec(version: str) -> str:
    """What the new project's CI installs: the Git commit this tiers was installed
    from, when pip recorded one (``pip install git+URL@REV``), else ``tiers==VERSION``
    from the package index."""
    import json
    from importlib import metadata

    try:
        recorded = metadata.distribution("tiers").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    found = json.loads(recorded) if recorded else {}
    vcs = found.get("vcs_info", {})
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"tiers @ git+{found['url']}@{vcs['commit_id']}"
    return f"tiers=={version}"


def render_project(name: str, version: str, install: str | None = None) -> dict[str, str]:
    """Path → text of every file of a new project called ``name``; its CI runs
    ``pip install INSTALL`` (default: :func:`install_spec`)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir() / "init")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    return {
        path: environment.get_template(template).render(
            name=name,
            version=version,
            install=install or install_spec(version),
            actions=ACTIONS,
        )
        for path, template in PROJECT_FILES.items()
    }


def init_project(
    directory: Path, name: str | None, version: str, install: str | None = None
) -> list[Path]:
    """Write a new project into ``directory`` and return the files written.

    Raises :class:`~tiers.errors.UsageError`, writing nothing, when any of the
    files exists already.
    """
    from tiers.output.outdir import prepare_output

    with prepare_output(directory) as target:  # DIR resolved (a link loop refused) first
        files = render_project(project_name(Path(target.real), name), version, install)
        if target.tree is not None:
            target.tree.hidden = True
        existing = [p for p in files if target.tree is not None and _taken(target.tree, p)]
        if existing:
            listed = ", ".join(str(directory / p) for p in existing)
            raise UsageError(f"refusing to overwrite {listed}; nothing was written")
        try:
            tree = target.open()
            tree.hidden = True
            _create_all(tree, files)
        except OSError as exc:
            target.remove_made()
            raise OutputError(
                f"could not write {target.shown}: {exc.strerror or exc}; nothing was written"
            ) from None
    return [directory / path for path in files]


def _taken(tree: Tree, path: str) -> bool:
    """True when ``path`` exists (a link included) or cannot be reached without a link."""
    try:
        return tree.lstat(path) is not None
    except Unsafe:
        return True


def _create_all(tree: Tree, files: dict[str, str]) -> None:
    """Create every file of ``files`` new; on a failure, remove the ones made."""
    made: list[str] = []
    mode = 0o666 & ~umask()
    try:
        for path, text in files.items():
            tree.create(path, text.encode(), mode)
            made.append(path)
    except BaseException:
        for path in reversed(made):
            directory, name = tree.parent(path)
            os.unlink(name, dir_fd=directory)
        raise


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a new file of a
    random name beside it, then renamed over it. Raises
    :class:`~tiers.errors.OutputError` when ``path`` is a symbolic link or
    cannot be written."""
    shown = display_path(os.path.abspath(path))
    if os.path.islink(path):
        raise OutputError(
            f"{shown} is a symbolic link; tiers never writes through one: "
            "remove it or choose another -o"
        )
    parent = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    try:
        _replace_in(parent, os.path.basename(path), text.encode())
    except OSError as exc:
        raise OutputError(
            f"could not write {shown}: {exc.strerror or exc}; nothing was written"
        ) from None


def _replace_in(parent: str, name: str, data: bytes) -> None:
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    staged = f".{name}.{secrets.token_hex(6)}.tiers-import"
    try:
        write_new(fd, staged, data, 0o666 & ~umask())
        try:
            os.rename(staged, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            os.unlink(staged, dir_fd=fd)
            raise
    finally:
        os.close(fd)
