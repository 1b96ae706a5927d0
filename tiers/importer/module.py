"""The imported app as Python: a module a person would write.

The docstring, the warnings as comments, one import of the classes used,
the values several tiers share (:mod:`tiers.importer.shared`), the ``App``,
then each external Service and tier as ``name = app.add(...)`` (laid out by
:mod:`tiers.importer.codegen`, the parts of a literal too long for its line
named before it) and what comes after the tiers
(:func:`~tiers.importer.calls.late_statements`).
"""

from __future__ import annotations

import re
import textwrap

from tiers.importer.calls import Later, late_statements
from tiers.importer.codegen import (
    INDENT,
    LINE_LENGTH,
    Atom,
    Bracket,
    Item,
    Names,
    Node,
    call,
    layout,
    string,
)
from tiers.importer.group import Omission
from tiers.importer.plan import variable
from tiers.importer.shared import Parts, constants, shorten
from tiers.model.app import App, ExternalService, Tier

MODEL_CLASSES = (
    "Backend",
    "ConfigMapKeyRef",
    "Container",
    "CronJob",
    "DaemonSet",
    "DisruptionBudget",
    "EgressTo",
    "ExternalService",
    "Frontend",
    "HostPath",
    "IngressFrom",
    "Job",
    "MariaDB",
    "Memcached",
    "MongoDB",
    "MySQL",
    "NotSecret",
    "Patch",
    "Permission",
    "Port",
    "Postgres",
    "Probe",
    "Probes",
    "RabbitMQ",
    "Redis",
    "Resources",
    "SecretKeyRef",
    "Security",
    "Service",
    "ServiceAccount",
    "ServicePort",
    "Storage",
    "Tier",
    "Toleration",
)


def module(app: App, warnings: list[Omission], inputs: tuple[str, ...], later: Later) -> str:
    """The module that defines ``app``, with ``warnings`` at its top; ``inputs``
    are the paths it was imported from."""
    taken: set[str] = set()
    declared: list[ExternalService | Tier] = [*app.externals, *app.tiers]
    names = Names()
    for t in declared:
        names[id(t)] = variable(t.name, taken)
    shared = constants(declared, names)
    statements: list[list[str]] = []
    for t in declared:
        named = Parts(taken)
        node = shorten(_add(call(t, names)), 1, names[id(t)], (), named)
        statements += [*named.statements, layout(node, 0, f"{names[id(t)]} = ")]
    statements += late_statements(later, names)
    lines = [line for s in [*shared, *statements] for line in s]
    used = sorted({"App"} | {c for line in lines for c in _classes(line)})
    parts = [_docstring(app, inputs), *_comments(warnings), _import(used)]
    parts += ["\n".join(line for s in shared for line in s)] if shared else []
    parts += [_app_line(app), *("\n".join(s) for s in statements)]
    return "\n\n".join(parts) + "\n"


def _add(node: Node) -> Bracket:
    return Bracket("app.add", "(", (Item("", node),), ")")


_CALLED = re.compile(rf"(?<![\w.])({'|'.join(MODEL_CLASSES)})\(")


def _classes(line: str) -> set[str]:
    """The model classes ``line`` calls (``Service(`` not in ``ExternalService(``)."""
    return set(_CALLED.findall(line))


def _docstring(app: App, inputs: tuple[str, ...]) -> str:
    where = ", ".join("stdin" if i == "-" else i for i in inputs) or "YAML"
    text = f"The tiers of app '{app.name}', imported from {where} by `tiers import`."
    text = text.replace("\\", "/").replace('"""', "'''")
    lines = textwrap.wrap(text, LINE_LENGTH - 8, break_on_hyphens=False, break_long_words=False)
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    return '"""' + "\n".join(lines) + '\n"""'


def _comments(warnings: list[Omission]) -> list[str]:
    if not warnings:
        return []
    lines = [f"# tiers import left out of this app what these {len(warnings)} warning(s) name:"]
    for w in warnings:
        lines += textwrap.wrap(
            str(w),
            LINE_LENGTH,
            initial_indent="# - ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
        )
    return ["\n".join(lines)]


def _import(used: list[str]) -> str:
    line = f"from tiers import {', '.join(used)}"
    if len(line) <= LINE_LENGTH:
        return line
    return "from tiers import (\n" + "".join(f"{INDENT}{u},\n" for u in used) + ")"


def _app_line(app: App) -> str:
    items = [Item("", _text(app.name)), Item("namespace=", _text(app.namespace))]
    if app.cluster_domain != "cluster.local":
        items.append(Item("cluster_domain=", _text(app.cluster_domain)))
    if not app.create_namespace:
        items.append(Item("create_namespace=", Atom("False")))
    if app.sync_waves:
        items.append(Item("sync_waves=", Atom("True")))
    return "\n".join(layout(Bracket("App", "(", tuple(items), ")"), 0, "app = "))


def _text(value: str) -> Node:
    return Atom(string(value))
