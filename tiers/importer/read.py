"""Read Kubernetes objects from files, directories and stdin, each with the
file and line it came from, within the limits of :mod:`tiers.importer.bounds`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from tiers.errors import ImportInputError, UsageError
from tiers.importer import stream
from tiers.importer.bounds import Budget, read_bounded

SUFFIXES = (".yaml", ".yml")
STDIN = "-"

SERVER_FIELDS: tuple[tuple[str, ...], ...] = (
    ("status",),
    ("metadata", "creationTimestamp"),
    ("metadata", "resourceVersion"),
    ("metadata", "uid"),
    ("metadata", "generation"),
    ("metadata", "managedFields"),
    ("metadata", "selfLink"),
    ("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"),
    ("metadata", "annotations", "deployment.kubernetes.io/revision"),
)
"""Fields the API server fills in: state, not configuration. Left out on import."""


@dataclass
class Source:
    """One object read from the input, and where it was."""

    manifest: dict[str, Any]
    file: str
    line: int
    dropped: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", ""))

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str | None:
        found = self.metadata.get("namespace")
        return str(found) if found else None

    @property
    def metadata(self) -> dict[str, Any]:
        found = self.manifest.get("metadata")
        return found if isinstance(found, dict) else {}

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.file}:{self.line}: {self.kind or 'object'} '{where}'"


def read_sources(paths: Iterable[str], stdin: TextIO) -> list[Source]:
    """Every object in ``paths`` (files, directories searched for ``*.yaml`` and
    ``*.yml``, or ``-`` for stdin), in order. Raises :class:`UsageError` for a
    path that does not exist and :class:`ImportInputError` for invalid YAML."""
    result: list[Source] = []
    for path in paths:
        if path == STDIN:
            result += parse(read_bounded(stdin, "<stdin>"), "<stdin>")
            continue
        for file in _files(Path(path)):
            result += parse(_read(file), str(file))
    return result


def _read(file: Path) -> str:
    try:
        with file.open(encoding="utf-8") as stream:
            return read_bounded(stream, str(file))
    except UnicodeDecodeError as exc:
        raise ImportInputError(f"{file}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise UsageError(f"{file}: cannot read it ({exc.strerror})") from None


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    if path.is_file():
        return [path]
    if path.exists():  # a FIFO, a device, a socket: never opened, which could hang
        raise UsageError(
            f"{path}: not a regular file or a directory; give a YAML file (or - for stdin)"
        )
    raise UsageError(f"{path}: no such file or directory")


def parse(text: str, file: str) -> list[Source]:
    """The objects of one YAML stream; ``kind: List`` documents are unpacked.
    What tiers writes is read by :mod:`tiers.importer.stream`, the rest by PyYAML."""
    documents = stream.documents(text)
    try:
        if documents is None:
            documents = [(line, document, False) for line, document in _documents(text, file)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportInputError(f"{file}:{line}: not valid YAML: {problem}") from None
    result = []
    for line, document, clean in documents:
        for item in _unpack(document):
            result.append(_source(item, file, line, clean))
    return result


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader (libyaml when available), reading dates as the strings
    Kubernetes sees."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _documents(text: str, file: str) -> Iterator[tuple[int, Any]]:
    loader = _Loader(text)
    budget = Budget(file)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                budget.check(node)
                yield node.start_mark.line + 1, loader.construct_document(node)
    finally:
        loader.dispose()


def _unpack(document: Any) -> list[Any]:
    if isinstance(document, dict) and document.get("kind") == "List":
        items = document.get("items")
        return list(items) if isinstance(items, list) else []
    return [document]


def _source(document: Any, file: str, line: int, clean: bool = False) -> Source:
    """The object of ``document``, without its nulls (a copy, unless ``clean``:
    it holds none, only string keys, and nothing it shares)."""
    if not isinstance(document, dict):
        return Source({}, file, line)
    manifest = document if clean else _without_nulls(document)
    metadata = manifest.get("metadata")
    if isinstance(metadata, dict) and metadata.get("namespace") == "":
        del metadata["namespace"]  # the empty namespace is no namespace
    dropped = [".".join(p) for p in SERVER_FIELDS if _pop(manifest, p)]
    return Source(manifest, file, line, dropped)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _pop(manifest: dict[str, Any], path: tuple[str, ...]) -> bool:
    parent: Any = manifest
    for part in path[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    if isinstance(parent, dict) and path[-1] in parent:
        del parent[path[-1]]
        return True
    return False
