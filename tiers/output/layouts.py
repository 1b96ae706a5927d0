"""Layouts: how the objects of an app are spread over files in an output directory.

- ``stream``: one file, ``<app>.yaml``, with every object.
- ``tier`` (the default): one file per tier, ``<tier>.yaml``; objects that belong
  to no tier (a Namespace, say) go in ``app.yaml``.
- ``resource``: one file per object, ``<tier>/<kind>-<name>.yaml`` (``<kind>`` in
  lower case); objects that belong to no tier sit at the top, ``<kind>-<name>.yaml``.
  When two objects of one directory share a kind and a name, both files get the
  namespace too: ``<kind>-<namespace>-<name>.yaml``.

Every directory also gets a ``kustomization.yaml`` listing its files, so that
``kubectl kustomize DIR`` builds exactly the objects tiers built. The top one
lists every file, those in tier directories included (``backend/service-x.yaml``),
which any kustomize reads; each tier directory's own lists that tier's files,
for ``kubectl apply -k DIR/<tier>``. The top one records the layout on its second
line (``# tiers layout: tier``), which is how a later build or diff finds it, and
the app on its third (``# tiers app: shop``): it is the record of which files
belong to the app (:mod:`tiers.output.ownership`).

Every file name is checked to be a plain name inside the directory
(:func:`tiers.output.safefs.check_name`) as it is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, get_args

from tiers.errors import UsageError
from tiers.output.emit import APP_FILE, Files, Returning, collect, groups, stream_each, tier_files
from tiers.output.ownership import APP_MARK, LAYOUT_MARK, Record
from tiers.output.safefs import is_plain_name
from tiers.render.objects import Rendered
from tiers.render.templates import Manifest
from tiers.yaml import dump

Note = Callable[[str, Manifest], None]
"""Told each object's file (its path) and the object, in the order of the file."""

Layout = Literal["stream", "tier", "resource"]
LAYOUTS: tuple[Layout, ...] = get_args(Layout)
DEFAULT_LAYOUT: Layout = "tier"
KUSTOMIZATION = "kustomization.yaml"
_MARK = LAYOUT_MARK


def layout_files(objects: Iterable[Rendered], layout: Layout, app_name: str) -> dict[str, str]:
    """Relative path → YAML text (without tiers' header) for every file of ``layout``,
    the ``kustomization.yaml`` files included. Paths use ``/``; order is stable."""
    return collect(layout_each(objects, layout, app_name))


def layout_each(
    objects: Iterable[Rendered], layout: Layout, app_name: str, note: Note | None = None
) -> Files:
    """The files of :func:`layout_files`, each as soon as its text can be made,
    so that ``objects`` may be rendered one tier at a time and never all held
    at once (see :func:`tiers.output.emit.groups`); the stream layout's one file comes
    in pieces. The ``kustomization.yaml`` files come last; ``note``, when given,
    is told each object's file before the file comes. Raises
    :class:`~tiers.errors.UsageError` when a file would be a ``kustomization.yaml``."""
    if layout == "stream":
        files = _stream_file(_noted(objects, lambda o: f"{app_name}.yaml", note), app_name)
    elif layout == "tier":
        files = tier_files(_noted(objects, lambda o: f"{o.tier or APP_FILE}.yaml", note))
    else:
        files = _resource_files(objects, note)
    listed = yield from _refuse_kustomization(files, layout)
    kustomizations = []
    for directory, resources in _directories(listed).items():
        path = f"{directory}/{KUSTOMIZATION}" if directory else KUSTOMIZATION
        mark = f"{_MARK}{layout}\n{APP_MARK}{app_name}\n" if not directory else ""
        yield path, mark + kustomization(resources)
        kustomizations.append(path)
    return listed + kustomizations


def _noted(
    objects: Iterable[Rendered], path: Callable[[Rendered], str], note: Note | None
) -> Iterator[Rendered]:
    """``objects``, ``note`` told the file (``path``) of each as it passes."""
    for o in objects:
        if note is not None:
            note(path(o), o.manifest)
        yield o


def _stream_file(objects: Iterable[Rendered], app_name: str) -> Files:
    yield f"{app_name}.yaml", stream_each(objects)
    return [f"{app_name}.yaml"]


def _resource_files(objects: Iterable[Rendered], note: Note | None) -> Files:
    found = Returning(groups(objects, ""))
    names: dict[str, list[str]] = {}
    for directory, group in found:
        prefix = f"{directory}/" if directory else ""
        names[directory] = [prefix + name for name in _resource_names(group)]
        for path, obj in zip(names[directory], group, strict=True):
            if note is not None:
                note(path, obj.manifest)
            yield path, dump(obj.manifest)
    return [path for directory in found.value for path in names[directory]]


def _resource_names(group: list[Rendered]) -> list[str]:
    counts: dict[tuple[str, str], int] = {}
    for o in group:
        counts[(o.kind, o.name)] = counts.get((o.kind, o.name), 0) + 1
    names: list[str] = []
    used: set[str] = set()
    for o in group:
        namespace = o.manifest.get("metadata", {}).get("namespace") or "cluster"
        middle = f"{namespace}-{o.name}" if counts[(o.kind, o.name)] > 1 else o.name
        stem, number = f"{o.kind.lower()}-{middle}", 2
        name = stem
        while name in used:  # kinds alike but for case or API group: numbered, in order
            name, number = f"{stem}-{number}", number + 1
        used.add(name)
        names.append(_plain(f"{name}.yaml", o))
    return names


def _plain(name: str, o: Rendered) -> str:
    """``name``, the file of ``o``, when it is a plain file name."""
    if "/" not in name and is_plain_name(name):
        return name
    where = f" of tier '{o.tier}'" if o.tier else ""
    raise UsageError(
        f"the resource layout cannot name a file for {o.kind!r} {o.name!r}{where}: "
        f"{name!r} is not a plain file name inside the output directory. A kind is letters "
        "and digits (ConfigMap), a name lower-case letters, digits, '-' and '.'; "
        "fix the template or patch that made it"
    )


def _refuse_kustomization(files: Files, layout: Layout) -> Files:
    """``files``, refusing any that kustomize would read as its own file."""
    found = Returning(files)
    for path, text in found:
        if path.rpartition("/")[2] == KUSTOMIZATION:
            raise UsageError(
                f"the {layout} layout would write objects to {path}, the file kustomize reads; "
                "rename that tier (or app), or choose another --layout"
            )
        yield path, text
    return found.value


def _directories(listed: list[str]) -> dict[str, list[str]]:
    """Directory (``""``: the top one) → the files its ``kustomization.yaml``
    lists: the top one every file, a tier's directory its own."""
    entries: dict[str, list[str]] = {"": list(listed)}
    for name in listed:
        directory, _, base = name.rpartition("/")
        if directory:
            entries.setdefault(directory, []).append(base)
    return entries


def kustomization(resources: Iterable[str]) -> str:
    """A ``kustomization.yaml`` that lists ``resources`` and changes nothing."""
    document = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": list(resources),
    }
    return dump(document)


def detect_layout(directory: Path) -> Layout | None:
    """The layout tiers last wrote into ``directory``, from its ``kustomization.yaml``;
    ``None`` when there is none (or tiers did not write it)."""
    import os

    from tiers.output.ownership import read_record
    from tiers.output.safefs import Tree

    try:
        tree = Tree(os.open(directory, os.O_RDONLY | os.O_DIRECTORY), str(directory))
    except OSError:
        return None
    try:
        return recorded_layout(read_record(tree))
    finally:
        tree.close()


def recorded_layout(record: Record | None) -> Layout | None:
    """The layout ``record`` names (``None``: none, or not one tiers knows)."""
    if record is None or record.layout not in LAYOUTS:
        return None
    return record.layout


def choose_layout(asked: str | None, directory: Path | None, found: Layout | None = None) -> Layout:
    """``asked`` when given; otherwise ``found`` (the layout of the output
    directory's record) or the layout found in ``directory``, else ``tier``."""
    if asked is not None:
        if asked not in LAYOUTS:
            raise UsageError(f"unknown layout '{asked}' (layouts: {', '.join(LAYOUTS)})")
        return asked
    if found is None and directory is not None:
        found = detect_layout(directory)
    return found or DEFAULT_LAYOUT


__all__ = [
    "APP_FILE",
    "DEFAULT_LAYOUT",
    "LAYOUTS",
    "Layout",
    "choose_layout",
    "layout_each",
    "layout_files",
]
