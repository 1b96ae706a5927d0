"""Import: existing Kubernetes YAML into a tiers app (``tiers import``).

The stages, one module each: :mod:`~tiers.importer.read` (files, directories,
stdin), :mod:`~tiers.importer.group` (a workload and the Services that select
its pods), :mod:`~tiers.importer.plan` (the tier's class and fields, from two
tables), :mod:`~tiers.importer.references` (env values into references) and
:mod:`~tiers.importer.codegen` (the Python). Here they are put together, and
every field the model does not describe is kept by a :class:`~tiers.model.app.Patch`:
the difference between the input and what the tiers compile to.

>>> from tiers.importer import Options, import_sources
>>> from tiers.importer.read import parse
>>> text = '''
... apiVersion: apps/v1
... kind: Deployment
... metadata: {name: web}
... spec:
...   selector: {matchLabels: {app: web}}
...   template:
...     metadata: {labels: {app: web}}
...     spec: {containers: [{name: web, image: "nginx:1.27"}]}
... '''
>>> imported = import_sources(parse(text, "web.yaml"), Options(name="web"))
>>> print(imported.code.splitlines()[-1])
web = app.add(Tier("web", image="nginx:1.27", service="None", selector={"app": "web"}))
"""

from __future__ import annotations

import copy
import dataclasses
import heapq
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tiers import ir
from tiers.compiler import compile_app, validate
from tiers.diagnostics import Diagnostic
from tiers.errors import ImportFailedError, ImportInputError, InvalidAppError
from tiers.importer.accounts import claim_accounts
from tiers.importer.budgets import beside_warnings, claim_budgets
from tiers.importer.calls import (
    Later,
    called,
    late_statements,
    open_calls,
    open_peers,
    opened_warnings,
    peers_warnings,
)
from tiers.importer.codegen import (
    INDENT,
    LINE_LENGTH,
    Atom,
    Bracket,
    Item,
    Node,
    call,
    layout,
    string,
)
from tiers.importer.defaults import without_defaults
from tiers.importer.externals import External, claim_externals, infer_cidrs, managed_elsewhere
from tiers.importer.group import WORKLOADS, Group, Omission, Plan, Scope, dig, group, items
from tiers.importer.kept import named_by
from tiers.importer.own import take_back
from tiers.importer.plan import app_name, instantiate, plan_tier, tier_name, variable
from tiers.importer.policies import read_policies
from tiers.importer.read import Source
from tiers.importer.references import Index, references, refs_in
from tiers.importer.rollout import infer_rollout
from tiers.importer.secrets import (
    annotation_maps,
    create_command,
    holds_credential,
    moved,
    secret_name,
)
from tiers.importer.spanning import open_spanning, spanning_services
from tiers.importer.workloads import attach_policy_selectors
from tiers.location import Location
from tiers.model.app import App, ExternalService, Patch, Tier
from tiers.model.refs import Ref
from tiers.render.objects import Rendered, render
from tiers.render.patches import diff, uncovered

DEFAULT_NAMESPACE = "default"
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


@dataclass(frozen=True)
class Options:
    """How to name the app. ``name``: default the app tiers made the objects
    for, else the namespace, else ``fallback_name``; ``namespace``: default
    the most common namespace of the workloads, else ``default``."""

    name: str | None = None
    namespace: str | None = None
    cluster_domain: str = "cluster.local"
    fallback_name: str = "app"
    inputs: tuple[str, ...] = ()


@dataclass
class Imported:
    """The app's Python source, and a warning per object (or part) left out."""

    code: str
    warnings: list[Omission] = field(default_factory=list)
    tiers: int = 0


def import_sources(sources: list[Source], options: Options) -> Imported:
    """The tiers app that builds ``sources`` again. Raises
    :class:`~tiers.errors.ImportFailedError` if the result would not compile."""
    namespace = options.namespace or _common_namespace(sources)
    groups, warnings = group(sources, namespace)
    for found in groups:
        found.taken_back = take_back(found)
    externals = claim_externals(sources, namespace)
    claimed = {id(s) for e in externals for s in e.sources}
    claimed |= claim_accounts(sources, groups, namespace)
    claimed |= claim_budgets(sources, groups, namespace)
    attach_policy_selectors(groups, sources)
    warnings = [w for w in warnings if not (w.whole and id(w.source) in claimed)]
    warnings = named_by(beside_warnings(groups, warnings), groups)
    if not groups and not externals:
        raise ImportInputError(_nothing_to_import(sources))
    scope = _scope(groups, options, namespace)
    plans = [plan_tier(g, scope, n) for g, n in zip(groups, _names(groups), strict=True)]
    tiers = {plan.name: instantiate(plan) for plan in plans}
    spanning = spanning_services(groups, sources)
    kept = {id(source) for source, _ in spanning}
    warnings = [w for w in warnings if id(w.source) not in kept]
    warnings += open_spanning(spanning, plans, tiers, scope)
    known = {(e.service.name, e.service.namespace or namespace) for e in externals}
    known |= {(s.name, p.group.namespace or namespace) for p in plans for s in p.group.services}
    externals += managed_elsewhere(plans, sources, scope, options.cluster_domain, known)
    index = Index(plans, tiers, scope, options.cluster_domain, [e.service for e in externals])
    for plan in plans:
        wired = references(plan, tiers[plan.name], index, scope)
        tiers[plan.name].env, tiers[plan.name].calls = wired.env, wired.calls
    infer_cidrs(externals, sources, _clients(tiers))
    app = App(scope.app, namespace=scope.namespace, cluster_domain=options.cluster_domain)
    app.create_namespace = any(s.kind == "Namespace" for s in sources)
    app.externals = [e.service for e in externals]
    app.tiers = _ordered(plans, tiers)
    rendered = render(_keep_exact_references(app, plans, tiers))
    changed = read_policies(app, plans, tiers, sources, scope, rendered)
    changed |= infer_rollout(app, plans, tiers)
    envs = _envs(app)
    app.tiers = _ordered(plans, tiers)
    changed |= _envs(app) != envs
    _defer_calls(plans, tiers, app.tiers)
    opened = open_calls(app, plans, tiers, sources)
    peered = open_peers(plans, tiers, sources)
    changed |= bool(peered)
    explicit = {id(t): list(t.calls) for t in app.tiers}
    for plan in plans:
        tiers[plan.name].calls += plan.late_calls
    for tier in app.tiers:
        tier.calls += [t for t in opened if t is not tier and all(c is not t for c in tier.calls)]
    if changed or app.sync_waves:  # else the objects rendered above are the app's
        rendered = render(validate(app, emitted=False)[0])
    _add_patches(plans, tiers, rendered)
    warnings += [w for plan in plans if (w := _moved_credentials(plan, scope)) is not None]
    warnings += opened_warnings(plans, tiers, opened)
    warnings += peers_warnings(peered)
    warnings = _self_check(app, [*plans, *externals], warnings)
    for tier in app.tiers:
        tier.calls = explicit[id(tier)]
    code = _module(app, warnings, options, Later(opened, plans, tiers))
    return Imported(code, warnings, len(app.tiers))


def _nothing_to_import(sources: list[Source]) -> str:
    found = ", ".join(f"{s.kind or 'object'} '{s.name}'" for s in sources[:5])
    more = f" and {len(sources) - 5} more" if len(sources) > 5 else ""
    held = f"it holds {found}{more}" if sources else "it holds no objects"
    kinds = " and ".join(sorted(WORKLOADS))
    return (
        f"nothing to import: tiers makes a tier of each {kinds} in the input, and "
        f"{held}; nothing was written"
    )


def _common_namespace(sources: list[Source]) -> str:
    """The namespace most workloads name, the first by name among equals (so
    the order the inputs come in does not matter); ``default`` when none names one."""
    counted = Counter(s.namespace for s in sources if s.kind in WORKLOADS and s.namespace)
    return max(sorted(counted), key=counted.__getitem__, default=DEFAULT_NAMESPACE)


def _scope(groups: list[Group], options: Options, namespace: str) -> Scope:
    fallback = namespace if namespace != DEFAULT_NAMESPACE else options.fallback_name
    return Scope(options.name or app_name(groups) or fallback, namespace)


def _names(groups: list[Group]) -> list[str]:
    """Tier names, unique: a repeated name gets its namespace (and a number)."""
    names = [tier_name(g) for g in groups]
    repeated = {n for n, count in Counter(names).items() if count > 1}
    result: list[str] = []
    taken: set[str] = set()
    for name, g in zip(names, groups, strict=True):
        base = f"{name}-{g.namespace}" if name in repeated else name
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        result.append(candidate)
        taken.add(candidate)
    return result


def _ordered(plans: list[Plan], tiers: dict[str, Tier]) -> list[Tier]:
    """Tiers in input order, each after the tiers it refers to (Python needs the
    variable first): a topological sort that always takes the earliest ready
    tier. When none is ready (a cycle), the earliest waiting tier goes next and
    its references to tiers not yet written stay literals."""
    position = {id(tiers[p.name]): i for i, p in enumerate(plans)}
    order = [tiers[p.name] for p in plans]
    needs = {id(t): _targets(t) & position.keys() - {id(t)} for t in order}
    users: dict[int, list[int]] = {}
    for tier in order:
        for target in needs[id(tier)]:
            users.setdefault(target, []).append(position[id(tier)])
    ready = [position[id(t)] for t in order if not needs[id(t)]]
    heapq.heapify(ready)
    waiting = set(range(len(order))) - set(ready)
    done: list[Tier] = []
    written: set[int] = set()
    while len(done) < len(order):
        index = heapq.heappop(ready) if ready else min(waiting)
        waiting.discard(index)
        tier = order[index]
        if needs[id(tier)] - written:
            _unwire(plans[index], tier, written)
        done.append(tier)
        written.add(id(tier))
        for user in users.get(id(tier), []):
            if user in waiting and needs[id(order[user])] <= written:
                waiting.discard(user)
                heapq.heappush(ready, user)
    return done


def _targets(tier: Tier) -> set[int]:
    """The tiers ``tier`` refers to or runs before: they come first in the file."""
    found = {id(r.target) for v in tier.env.values() for r in refs_in(v) if _to_tier(r)}
    return found | {id(t) for t in getattr(tier, "before", [])}


def _to_tier(value: Ref) -> bool:
    """A reference to a tier (external Services are written before every tier)."""
    return isinstance(value.target, Tier)


def _clients(tiers: dict[str, Tier]) -> dict[str, set[str]]:
    """External Service name → the tiers that reference it."""
    found: dict[str, set[str]] = {}
    for tier in tiers.values():
        for value in tier.env.values():
            for ref in refs_in(value):
                if isinstance(ref.target, ExternalService):
                    found.setdefault(ref.target.name, set()).add(tier.name)
    return found


def _unwire(plan: Plan, tier: Tier, written: set[int]) -> None:
    """Turn back into literals the tier's references to tiers not yet written."""
    for name, value in list(tier.env.items()):
        if any(_to_tier(r) and id(r.target) not in written for r in refs_in(value)):
            tier.env[name] = str(plan.kwargs["env"][name])


LATER = "credential-missing"
"""Judged once the patches are in (:func:`_self_check`)."""


def _defer_calls(plans: list[Plan], tiers: dict[str, Tier], order: list[Tier]) -> None:
    """Move each call to a tier written later into the plan's ``late_calls``
    (``tier.calls += [...]`` after every tier): calls never unwire a reference."""
    for plan in plans:
        tier = tiers[plan.name]
        tier.calls += plan.late_calls
    position = {id(t): i for i, t in enumerate(order)}
    for plan in plans:
        tier = tiers[plan.name]
        mine = position[id(tier)]
        late = [c for c in tier.calls if position.get(id(called(c)), -1) > mine]
        tier.calls = [c for c in tier.calls if all(c is not x for x in late)]
        plan.late_calls = late


def _envs(app: App) -> list[list[object]]:
    """Every tier's env values, to tell whether a step changed one."""
    return [list(t.env.values()) for t in app.tiers]


def _keep_exact_references(app: App, plans: list[Plan], tiers: dict[str, Tier]) -> ir.App:
    """Turn back into literals the references the compiler would write
    differently; the app resolved as it then is."""
    for _ in range(len(plans) + 1):
        resolved, diagnostics = validate(app, emitted=False)
        failed = {(d.tier, d.field) for d in diagnostics if d.code == "env-reference"}
        written = {
            (t.name, f"env.{e.name}"): e.value
            for t in resolved.tiers
            for e in t.workload.containers[0].env
        }
        changed = False
        for plan in plans:
            tier = tiers[plan.name]
            for name, value in list(tier.env.items()):
                wanted = plan.kwargs["env"][name]
                key = (tier.name, f"env.{name}")
                if refs_in(value) and (key in failed or written.get(key) != wanted):
                    tier.env[name] = wanted
                    changed = True
        if not changed:
            break
    # a credential kept as a patch (a Secret reference the kind would mount as a
    # file) is not there yet: the app is checked again, with its patches, at the end
    errors = [
        str(_at_input(d, list(plans)))
        for d in diagnostics
        if d.severity == "error" and d.code != LATER
    ]
    if errors:
        raise ImportFailedError(errors)
    if changed:
        resolved, _ = validate(app, emitted=False)
    return resolved


def _add_patches(plans: list[Plan], tiers: dict[str, Tier], objects: list[Rendered]) -> None:
    """Each object's fields that the tier (rendered as ``objects``) does not produce, as patches."""
    by_tier: dict[str | None, list[Rendered]] = {}
    for rendered in objects:
        by_tier.setdefault(rendered.tier, []).append(rendered)
    for plan in plans:
        mine = by_tier.get(plan.name, [])
        tiers[plan.name].patches = [
            patch
            for source in plan.group.sources
            if (patch := _patch(source, mine, plan)) is not None
        ]


def _patch(source: Source, objects: list[Rendered], plan: Plan) -> Patch | None:
    """The patch that makes the tier's object hold every field of ``source``,
    but the credentials that moved to a Secret (see :func:`_as_imported`)."""
    rendered = next((o for o in objects if o.kind == source.kind and o.name == source.name), None)
    if rendered is None:
        made = ", ".join(f"{o.kind} '{o.name}'" for o in objects)
        raise ImportFailedError([f"{source}: its tier makes {made} instead; it cannot be imported"])
    wanted = without_defaults(_as_imported(source, plan), rendered.manifest)
    change = diff(rendered.manifest, wanted)
    if change is None:
        return None
    several = sum(o.kind == source.kind for o in objects) > 1
    return Patch(source.kind, change, name=source.name if several else None)


def _as_imported(source: Source, plan: Plan) -> dict[str, Any]:
    """``source``'s object with its credentials as the app holds them: without
    the env vars whose literal values moved to a Secret, with the command and
    args that carry ``$(VAR)`` instead of a credential, and without the
    annotations left out. Only the tier's workload holds them."""
    result = copy.deepcopy(source.manifest)
    if source is not plan.group.workload:
        return result
    names = moved(plan.kwargs["env"], plan.container)
    spec = dig(result, "spec", "jobTemplate", "spec") if result.get("kind") == "CronJob" else result
    for container in items(dig(spec, "spec", "template", "spec", "containers")):
        env = container.get("env")
        if isinstance(env, list):
            container["env"] = [
                e for e in env if not (isinstance(e, dict) and e.get("name") in names)
            ]
    first = items(dig(spec, "spec", "template", "spec", "containers"))
    for part in ("command", "args") if plan.secret_args and first else ():
        if plan.kwargs.get(part) is not None:
            first[0][part] = plan.kwargs[part]
    for notes in annotation_maps(result):
        held = [k for k, v in notes.items() if isinstance(v, str) and holds_credential(k, v)]
        for key in held:
            del notes[key]
            plan.left_out += [] if key in plan.left_out else [key]
    return result


def _moved_credentials(plan: Plan, scope: Scope) -> Omission | None:
    """The warning for the tier's literal credentials moved to a Secret (or,
    in annotations, left out)."""
    names = moved(plan.kwargs["env"], plan.container) + list(plan.secret_args)
    if not names and not plan.left_out:
        return None
    namespace = plan.group.namespace or scope.namespace
    parts = []
    if names:
        parts.append(
            f"env {', '.join(names)}: a literal credential in the input is not written into "
            f"the app (it would be committed to Git); the value now comes from Secret "
            f"'{secret_name(plan.name)}' (key: the variable's name"
            + (", written $(VAR) in the command or args" if plan.secret_args else "")
            + f"), which you must create before applying: "
            f"{create_command(plan.name, namespace, names)}"
        )
    if plan.left_out:
        parts.append(
            f"annotations {', '.join(plan.left_out)}: hold a credential, so they are left "
            "out; keep it in a Secret and give its name instead"
        )
    return Omission(plan.group.workload, "; ".join(parts), whole=False)


def _self_check(app: App, plans: list[Plan | External], warnings: list[Omission]) -> list[Omission]:
    """The warnings that still hold once the app is built: an object left out
    that the app makes anyway (a PodDisruptionBudget tiers wrote, say) is not
    lost. Adds one for any imported object the app would not make again,
    which only a bug in tiers could cause."""
    try:
        built = compile_app(app).objects
    except InvalidAppError as exc:
        errors = [str(_at_input(d, plans)) for d in exc.diagnostics if d.severity == "error"]
        raise ImportFailedError(errors) from None
    objects: dict[tuple[str, str], list[Rendered]] = {}
    for rendered in built:
        objects.setdefault((rendered.kind, rendered.name), []).append(rendered)
    kept = [
        w for w in warnings if not (w.whole and not _lost(w.source, w.source.manifest, objects))
    ]
    for plan in plans:
        for source in plan.group.sources if isinstance(plan, Plan) else plan.sources:
            wanted = _as_imported(source, plan) if isinstance(plan, Plan) else source.manifest
            lost = _lost(source, wanted, objects)
            if lost:
                kept.append(Omission(source, f"these fields could not be kept: {'; '.join(lost)}"))
    return kept


def _at_input(diagnostic: Diagnostic, plans: list[Plan | External]) -> Diagnostic:
    """``diagnostic`` at the input object its tier came from (the app it is about
    was made in memory, so it has no line of its own)."""
    for plan in plans:
        if isinstance(plan, Plan) and plan.name == diagnostic.tier:
            source = plan.group.workload
            return dataclasses.replace(diagnostic, location=Location(source.file, source.line))
    return diagnostic


def _lost(
    source: Source, wanted: dict[str, Any], objects: dict[tuple[str, str], list[Rendered]]
) -> list[str]:
    """The fields of ``wanted`` (``source`` as imported) that the built objects
    (by kind and name) lack (all, if none is it)."""
    namespace = source.namespace
    for o in objects.get((source.kind, source.name), []):
        if namespace in (None, o.manifest.get("metadata", {}).get("namespace")):
            return list(uncovered(o.manifest, without_defaults(wanted, o.manifest)))
    return ["the whole object"]


def _module(app: App, warnings: list[Omission], options: Options, later: Later) -> str:
    taken: set[str] = set()
    declared: list[ExternalService | Tier] = [*app.externals, *app.tiers]
    names = {id(t): variable(t.name, taken) for t in declared}
    statements = [layout(_add(call(t, names)), 0, f"{names[id(t)]} = ") for t in declared]
    statements += late_statements(later, names)
    used = sorted({"App"} | {c for s in statements for line in s for c in _classes(line)})
    parts = [_docstring(app, options), *_comments(warnings), _import(used), _app_line(app)]
    parts += ["\n".join(s) for s in statements]
    return "\n\n".join(parts) + "\n"


def _add(node: Node) -> Bracket:
    return Bracket("app.add", "(", (Item("", node),), ")")


_CALLED = re.compile(rf"(?<![\w.])({'|'.join(MODEL_CLASSES)})\(")


def _classes(line: str) -> set[str]:
    """The model classes ``line`` calls (``Service(`` not in ``ExternalService(``)."""
    return set(_CALLED.findall(line))


def _docstring(app: App, options: Options) -> str:
    inputs = ", ".join("stdin" if i == "-" else i for i in options.inputs) or "YAML"
    text = f"The tiers of app '{app.name}', imported from {inputs} by `tiers import`."
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
