"""Import: existing Kubernetes YAML into a tiers app (``tiers import``).

The stages, one module each: :mod:`~tiers.importer.read` (files, directories,
stdin), :mod:`~tiers.importer.group` (a workload and the Services that select
its pods), :mod:`~tiers.importer.plan` (the tier's class and fields, from two
tables), :mod:`~tiers.importer.references` (env values into references) and
:mod:`~tiers.importer.module` (the Python). Here they are put together;
:mod:`~tiers.importer.built` keeps every field the model does not describe by a
:class:`~tiers.model.app.Patch`: the difference between the input and what the
tiers compile to.

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

from collections import Counter
from dataclasses import dataclass, field

from tiers.compiler import validate
from tiers.errors import ImportInputError
from tiers.importer.accounts import claim_accounts
from tiers.importer.budgets import beside_warnings, claim_budgets
from tiers.importer.built import FirstBuild, add_patches, first_build, moved_credentials, self_check
from tiers.importer.calls import Later, open_calls, open_peers, opened_warnings, peers_warnings
from tiers.importer.externals import External, claim_externals, infer_cidrs, managed_elsewhere
from tiers.importer.group import WORKLOADS, Group, Omission, Plan, Scope, group
from tiers.importer.kept import named_by
from tiers.importer.module import module
from tiers.importer.order import clients, defer_calls, envs, ordered
from tiers.importer.own import take_back
from tiers.importer.plan import app_name, instantiate, plan_tier, tier_name
from tiers.importer.policies import read_policies
from tiers.importer.read import Source
from tiers.importer.references import Index, references
from tiers.importer.rollout import infer_rollout
from tiers.importer.spanning import open_spanning, spanning_services
from tiers.importer.workloads import attach_policy_selectors
from tiers.model.app import App, Call, Tier
from tiers.render.objects import Rendered, render

DEFAULT_NAMESPACE = "default"


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
    groups, externals, warnings = _claimed(sources, namespace)
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
    infer_cidrs(externals, sources, clients(tiers))
    app = App(scope.app, namespace=scope.namespace, cluster_domain=options.cluster_domain)
    app.create_namespace = any(s.kind == "Namespace" for s in sources)
    app.externals = [e.service for e in externals]
    app.tiers = ordered(plans, tiers)
    first = first_build(app, plans, tiers)
    connected = _connect(app, plans, tiers, sources, scope, first)
    imported = add_patches(plans, tiers, connected.objects)
    warnings += [w for plan in plans if (w := moved_credentials(plan, scope)) is not None]
    warnings += opened_warnings(plans, tiers, connected.opened)
    warnings += peers_warnings(connected.peered)
    warnings = self_check(app, [*plans, *externals], warnings, first, imported)
    for tier in app.tiers:
        tier.calls = connected.explicit[id(tier)]
    code = module(app, warnings, options.inputs, Later(connected.opened, plans, tiers))
    return Imported(code, warnings, len(app.tiers))


def _claimed(
    sources: list[Source], namespace: str
) -> tuple[list[Group], list[External], list[Omission]]:
    """The workloads' groups, the external Services, and a warning per object
    that neither they nor the accounts and budgets they claim hold."""
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
    return groups, externals, warnings


@dataclass
class _Connected:
    """The tiers open to every other (``opened``), the peers opened, each
    tier's own calls (``explicit``: the build's hold the late calls and the
    calls to the open tiers too) and the objects to patch."""

    opened: list[Tier]
    peered: list[Plan]
    explicit: dict[int, list[Call]]
    objects: list[Rendered]


def _connect(
    app: App,
    plans: list[Plan],
    tiers: dict[str, Tier],
    sources: list[Source],
    scope: Scope,
    first: FirstBuild,
) -> _Connected:
    """Calls, ingress and rollout read back from the input's policies and
    annotations; the tiers left open; the calls of each tier for the build."""
    changed = read_policies(app, plans, tiers, sources, scope, first.objects)
    changed |= infer_rollout(app, plans, tiers)
    before = envs(app)
    app.tiers = ordered(plans, tiers)
    changed |= envs(app) != before
    defer_calls(plans, tiers, app.tiers)
    opened = open_calls(app, plans, tiers, sources)
    peered = open_peers(plans, tiers, sources)
    changed |= bool(peered)
    explicit = {id(t): list(t.calls) for t in app.tiers}
    for plan in plans:
        tiers[plan.name].calls += plan.late_calls
    for tier in app.tiers:
        present = {id(c) for c in tier.calls}
        tier.calls += [t for t in opened if t is not tier and id(t) not in present]
    objects = first.objects
    if changed or app.sync_waves:  # else the objects of the first build are the app's
        first.stale = True
        objects = render(validate(app, emitted=False)[0])
    return _Connected(opened, peered, explicit, objects)


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
