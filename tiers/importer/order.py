"""The order of the tiers in the written app: each after the tiers its env
refers to (Python needs the variable first), and the calls to tiers written
later moved after every tier."""

from __future__ import annotations

import heapq

from tiers.importer.calls import called
from tiers.importer.group import Plan
from tiers.importer.references import refs_in
from tiers.model.app import App, ExternalService, Tier
from tiers.model.refs import Ref


def ordered(plans: list[Plan], tiers: dict[str, Tier]) -> list[Tier]:
    """Tiers in input order, each after the tiers it refers to (Python needs the
    variable first): a topological sort that always takes the earliest ready
    tier. When none is ready (a cycle), the earliest waiting tier goes next and
    its references to tiers not yet written stay literals."""
    position = {id(tiers[p.name]): i for i, p in enumerate(plans)}
    order = [tiers[p.name] for p in plans]
    needs = {id(t): (_targets(t) & position.keys()) - {id(t)} for t in order}
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


def clients(tiers: dict[str, Tier]) -> dict[str, set[str]]:
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


def defer_calls(plans: list[Plan], tiers: dict[str, Tier], order: list[Tier]) -> None:
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


def envs(app: App) -> list[list[object]]:
    """Every tier's env values, to tell whether a step changed one."""
    return [list(t.env.values()) for t in app.tiers]
