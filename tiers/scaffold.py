"""Scaffolding: a new app project written from the Jinja2 templates in
``templates/init/``: ``app.py`` (a three-tier app), ``README.md`` and a CI
workflow that fails when the committed manifests are stale."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from tiers.errors import UsageError
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
    files = render_project(project_name(directory, name), version, install)
    existing = [directory / path for path in files if (directory / path).exists()]
    if existing:
        listed = ", ".join(str(p) for p in existing)
        raise UsageError(f"refusing to overwrite {listed}; nothing was written")
    written = []
    for path, text in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
