"""Templates: the one place that finds and loads the Jinja2 templates (one per
kind, from ``templates/``) and renders one into one object.

Every ``{{ value }}`` in a template is written through
:func:`tiers.yaml.scalars.flow`, so no value can change type or break the YAML.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from tiers.yaml import SLOT, load, load_slotted
from tiers.yaml.scalars import flow

Manifest = dict[str, Any]


def template_dir() -> Path:
    """The templates: inside the installed package, or ``templates/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"  # where the wheel puts them
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "auto_reload": False,
}


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment, made once: strict, no autoescape, YAML-safe output,
    templates compiled once per machine (see :func:`bytecode_cache`)."""
    return make_environment(bytecode_cache())


def make_environment(
    cache: jinja2.BytecodeCache | None, finalize: Callable[[Any], str] = flow
) -> jinja2.Environment:
    """The environment of :func:`environment`, with ``cache`` for compiled
    templates (and ``finalize`` for each ``{{ value }}``)."""
    return jinja2.Environment(
        loader=_InliningLoader(str(template_dir())),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        bytecode_cache=cache,
        **_OPTIONS,
    )


_INCLUDE = re.compile(r'\{% include "(_[a-z_]+\.yaml\.j2)" %\}\n?')
"""An include of a shared part (``_metadata.yaml.j2``, ...) and the newline
after it, which ``trim_blocks`` removes."""


class _InliningLoader(jinja2.FileSystemLoader):
    """Loads the templates with each shared part they include written in
    place, so that rendering one object does not make a context per part.
    The output is the same: a part starts with text or a comment (whose ``-``,
    stripping the text before it, is dropped: at the top of a part there is
    none), ends with a block tag and its newline (which ``trim_blocks``
    removes either way), and assigns no variable."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return self._inlined(environment, source, 0), filename, uptodate

    def _inlined(self, environment: jinja2.Environment, source: str, depth: int) -> str:
        if depth > 8:
            return source

        def part(match: re.Match[str]) -> str:
            text = super(_InliningLoader, self).get_source(environment, match[1])[0]
            if text.startswith("{#-"):
                text = "{#" + text[3:]
            return self._inlined(environment, text, depth + 1)

        return _INCLUDE.sub(part, source)


def bytecode_cache(
    environ: Mapping[str, str] = os.environ, finalize: Callable[[Any], str] = flow
) -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept between runs:
    ``$XDG_CACHE_HOME/tiers/templates-<key>`` (default ``~/.cache/tiers/...``),
    the key naming the Jinja2 version and the environment's options. Each entry
    holds its template's checksum, so an edited template is compiled afresh.
    ``None`` (compile on every run) when the directory cannot be made."""
    home = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(home):  # unset, or relative: invalid for XDG
        user = os.path.expanduser("~")
        if not os.path.isabs(user):
            return None
        home = os.path.join(user, ".cache")
    key = f"{jinja2.__version__}-{sorted(_OPTIONS.items())}-{finalize.__qualname__}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    directory = os.path.join(home, "tiers", f"templates-{digest}")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(directory)


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates, which gives up saving silently
    (a read-only or full disk only costs the compiling)."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.lru_cache(maxsize=64)
def _template(name: str) -> jinja2.Template:
    """The template ``name`` of :func:`environment`, looked up once (Jinja2's
    own lookup costs more than rendering a small object)."""
    return environment().get_template(name)


_given: list[Any] = []
"""The values of the template being rendered by :func:`_slotted_template`."""


def _slot(value: Any) -> str:
    _given.append(value)
    return SLOT


@functools.lru_cache(maxsize=64)
def _slotted_template(name: str) -> jinja2.Template:
    """The template ``name``, writing :data:`~tiers.yaml.SLOT` for each value
    and keeping the value in :data:`_given`. Its globals (Jinja2's own, and
    none of tiers') become a plain dict, which each render copies at once."""
    template = _slotted_environment().get_template(name)
    template.globals = dict(template.globals)
    return template


@functools.lru_cache(maxsize=1)
def _slotted_environment() -> jinja2.Environment:
    return make_environment(bytecode_cache(finalize=_slot), _slot)


def render_template(name: str, **context: Any) -> Manifest:
    """Render one template into one object.

    The template writes a slot for each value and the object is read with the
    values themselves (:func:`tiers.yaml.load_slotted`), which never pass
    through text; only a template or a value that this cannot read is written
    whole, each value by :func:`flow`, and read as YAML (:func:`tiers.yaml.load`).
    """
    manifest = _slotted(name, context)
    if manifest is None:
        manifest = load(_template(name).render(**context))
    if not isinstance(manifest, dict):
        raise ValueError(f"template {name} did not produce a mapping")
    return manifest


def _slotted(name: str, context: dict[str, Any]) -> Any:
    _given.clear()
    try:
        return load_slotted(_slotted_template(name).render(**context), _given)
    finally:
        _given.clear()
