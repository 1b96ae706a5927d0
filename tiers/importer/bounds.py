"""Limits on what ``tiers import`` reads, so that no input can exhaust it.

- :data:`MAX_BYTES`: a file (or stdin) larger than 32 MiB is refused before
  it is parsed.
- :data:`MAX_ALIASES`: a YAML stream with more than 1,000 aliases (``*name``)
  is refused; Kubernetes manifests rarely use any.
- :data:`MAX_VALUES`: a document that would hold more than 1,000,000 values
  once its aliases are expanded is refused: that is how an alias bomb (a
  "billion laughs" document of a few hundred bytes) is told from a large
  manifest, before anything is expanded.
- A key that appears twice in one mapping is an error (YAML forbids it;
  PyYAML would keep the last silently).

Every refusal is an :class:`~tiers.errors.ImportInputError` naming the file
and line, so ``tiers import`` exits 1 and writes nothing.
"""

from __future__ import annotations

from typing import TextIO

import yaml

from tiers.errors import ImportInputError

MAX_BYTES = 32 * 1024 * 1024
MAX_ALIASES = 1_000
MAX_VALUES = 1_000_000


def read_bounded(stream: TextIO, name: str) -> str:
    """At most :data:`MAX_BYTES` of text from ``stream``; more is an error."""
    text = stream.read(MAX_BYTES + 1)
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportInputError(too_large(name))
    return text


def too_large(name: str) -> str:
    limit = MAX_BYTES // (1024 * 1024)
    return (
        f"{name}: larger than {limit} MiB, the most tiers import reads at once; "
        "split it (kubectl kustomize output per overlay, or one file per app)"
    )


class Budget:
    """What one YAML stream has used of the limits, node by node."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.aliases = 0

    def check(self, root: yaml.Node) -> None:
        """Refuse ``root`` (one composed document) if it breaks a limit."""
        sizes: dict[int, int] = {}
        uses: dict[int, int] = {}
        for node in _post_order(root):
            children = _children(node)
            for child in children:
                uses[id(child)] = uses.get(id(child), 0) + 1
                self.aliases += uses[id(child)] > 1
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if isinstance(node, yaml.MappingNode):
                self._unique_keys(node)
            if self.aliases > MAX_ALIASES:
                raise ImportInputError(self._where(node, f"more than {MAX_ALIASES} aliases"))
            if sizes[id(node)] > MAX_VALUES:
                raise ImportInputError(self._where(node, self._bomb()))

    def _bomb(self) -> str:
        return (
            f"its aliases expand it to more than {MAX_VALUES:,} values (an alias bomb?); "
            "write the values out, or run it through a YAML tool you trust first"
        )

    def _where(self, node: yaml.Node, problem: str) -> str:
        return f"{self.file}:{node.start_mark.line + 1}: not imported: {problem}"

    def _unique_keys(self, node: yaml.MappingNode) -> None:
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            line = key.start_mark.line + 1
            if key.value in seen:
                raise ImportInputError(
                    f"{self.file}:{line}: the key '{key.value}' is already set on line "
                    f"{seen[key.value]} of this mapping; YAML allows each key once: "
                    "keep the one you mean"
                )
            seen[key.value] = line


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _post_order(root: yaml.Node) -> list[yaml.Node]:
    """Every distinct node below ``root``, children before parents, without recursion."""
    order: list[yaml.Node] = []
    done: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in done)
    return order
