"""Rollout order for GitOps: the sync wave of each tier, for Argo CD.

Two kinds of constraint put a tier after another:

- a :class:`~tiers.model.workloads.Job` with ``before=[...]`` runs after the tiers
  it references and before the tiers it lists (always);
- with ``App(sync_waves=True)``, every tier comes after the tiers it
  references (databases before the services that reference them, those
  before their clients). Where references go round in a circle, the one
  against the tiers' dependency order (see :meth:`tiers.resolve.wiring.Wiring.order`)
  is left out, and so is one that a Job's order contradicts.

A tier's wave is 0 when nothing comes before it, else one more than the
highest wave of what does. :mod:`tiers.render.rollout` writes it.
"""

from __future__ import annotations

import heapq

from tiers import ir
from tiers.diagnostics import Diagnostic, error
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.workloads import Job

Graph = dict[int, set[int]]
"""Tier index → the indexes of the tiers that must come before it."""


def resolve_rollout(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Set ``rollout`` on every tier with a wave other than 0, or a hook."""
    jobs = [(t, r) for t, r in pairs if isinstance(t, Job) and t.before]
    if not jobs and not getattr(app, "sync_waves", False):
        return
    index = {t.name: i for i, t in enumerate(result.tiers)}
    by_model = {id(t): index[r.name] for t, r in pairs if r.name in index}
    hard = _job_constraints(jobs, by_model, index, result, diagnostics)
    if _report_cycles(hard, result.tiers, jobs, by_model, diagnostics):
        return
    if getattr(app, "sync_waves", False):
        _add_references(hard, index, result.edges)
    waves = _waves(hard, result.tiers)
    before = {by_model[id(t)]: _names(t, by_model, result.tiers) for t, _ in jobs}
    for i, tier in enumerate(result.tiers):
        if waves[i] or i in before:
            tier.rollout = ir.Rollout(waves[i], hook=i in before, before=before.get(i, []))


def _names(job: Job, by_model: dict[int, int], tiers: list[ir.Tier]) -> list[str]:
    return [tiers[by_model[id(t)]].name for t in job.before if id(t) in by_model]


def _job_constraints(
    jobs: list[tuple[Job, ir.Tier]],
    by_model: dict[int, int],
    index: dict[str, int],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> Graph:
    graph: Graph = {}
    for job, resolved in jobs:
        me = index[resolved.name]
        for edge in result.edges:
            wired = edge.source == job.name and not edge.external and edge.target in index
            if wired and index[edge.target] != me:
                graph.setdefault(me, set()).add(index[edge.target])
        for position, target in enumerate(job.before):
            found = _target_problem(job, target, by_model, me)
            if found is not None:
                diagnostics.append(_before_error(job, position, found))
                continue
            graph.setdefault(by_model[id(target)], set()).add(me)
    return graph


def _target_problem(job: Job, target: object, by_model: dict[int, int], me: int) -> str | None:
    if not isinstance(target, model.Tier):
        return f"{target!r} is not a tier: list the tiers this Job must run before"
    if id(target) not in by_model:
        return (
            f"tier '{target.name}' is not in the app (or has errors of its own): add it "
            "with app.add(...) and list the object app.add() returned"
        )
    if by_model[id(target)] == me:
        return "a Job cannot run before itself: list the tiers that need it"
    return None


def _before_error(job: Job, position: int, message: str) -> Diagnostic:
    return error(
        "job-before", message, tier=job.name, field=f"before[{position}]", location=defined_at(job)
    )


def _report_cycles(
    graph: Graph,
    tiers: list[ir.Tier],
    jobs: list[tuple[Job, ir.Tier]],
    by_model: dict[int, int],
    diagnostics: list[Diagnostic],
) -> bool:
    """An error for each Job whose order goes round in a circle."""
    found = False
    for job, _ in jobs:
        me = by_model.get(id(job))
        cycle = _cycle_through(graph, me) if me is not None else None
        if cycle is None:
            continue
        found = True
        names = " → ".join(tiers[i].name for i in cycle)
        message = (
            f"the order goes round in a circle ({names}: each runs after the next, a Job "
            "after the tiers it references): drop the tier it references from before, "
            "or stop referencing it"
        )
        diagnostics.append(_before_error(job, 0, message))
    return found


def _cycle_through(graph: Graph, start: int) -> list[int] | None:
    """A path from ``start`` through what must come before it, back to ``start``."""
    stack = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        for before in sorted(graph.get(node, ())):
            if before == start:
                return [*path, start]
            if before not in seen:
                seen.add(before)
                stack.append((before, [*path, before]))
    return None


def _add_references(graph: Graph, index: dict[str, int], edges: list[ir.Edge]) -> None:
    """Each tier after the tiers it references, as the dependency order of the
    tiers has them (a reference back against that order closes a cycle of
    references and is left out), unless a Job's order says otherwise."""
    pairs = {
        (index[e.source], index[e.target])
        for e in edges
        if not e.external and e.source in index and e.target in index
    }
    for source, target in sorted(pairs):
        if target < source and not _reaches(graph, target, source):
            graph.setdefault(source, set()).add(target)


def _reaches(graph: Graph, start: int, goal: int) -> bool:
    """True when ``goal`` must come before ``start``, directly or not."""
    stack, seen = [start], {start}
    while stack:
        for before in graph.get(stack.pop(), ()):
            if before == goal:
                return True
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return False


def _waves(graph: Graph, tiers: list[ir.Tier]) -> list[int]:
    """Each tier's wave: 0, or one more than the highest before it."""
    after: dict[int, list[int]] = {}
    waiting = [0] * len(tiers)
    for node, befores in graph.items():
        waiting[node] = len(befores)
        for before in befores:
            after.setdefault(before, []).append(node)
    waves = [0] * len(tiers)
    ready = [(tiers[i].name, i) for i in range(len(tiers)) if not waiting[i]]
    heapq.heapify(ready)
    while ready:
        _, node = heapq.heappop(ready)
        for later in after.get(node, ()):
            waves[later] = max(waves[later], waves[node] + 1)
            waiting[later] -= 1
            if not waiting[later]:
                heapq.heappush(ready, (tiers[later].name, later))
    return waves
