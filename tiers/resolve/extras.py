"""Resolvers for the kinds beyond Deployment and Service, run by
:func:`tiers.resolve.core.resolve` after the core has resolved every tier and its env.

Each resolver is one module with one entry point that fills in the IR and
appends diagnostics; :data:`RESOLVERS` lists them in order (the workload
kinds first: the others read them; user templates last: they see everything
else).
"""

from __future__ import annotations

from collections.abc import Callable

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.resolve.accounts import resolve_service_accounts
from tiers.resolve.availability import resolve_availability
from tiers.resolve.config import resolve_config_maps
from tiers.resolve.connections import resolve_connections
from tiers.resolve.externals import resolve_externals
from tiers.resolve.ingress import resolve_ingresses
from tiers.resolve.rollout import resolve_rollout
from tiers.resolve.routes import resolve_routes
from tiers.resolve.templates import resolve_extra_templates
from tiers.resolve.workloads import resolve_workload_kinds

Pairs = list[tuple[model.Tier, ir.Tier]]
Resolver = Callable[[model.App, Pairs, ir.App, list[Diagnostic]], None]

RESOLVERS: tuple[Resolver, ...] = (
    resolve_workload_kinds,
    resolve_availability,
    resolve_config_maps,
    resolve_ingresses,
    resolve_routes,
    resolve_connections,
    resolve_service_accounts,
    resolve_externals,
    resolve_rollout,
    resolve_extra_templates,
)


def resolve_extras(
    app: model.App, pairs: Pairs, result: ir.App, diagnostics: list[Diagnostic]
) -> None:
    """Run every resolver of :data:`RESOLVERS` over the resolved app."""
    for resolver in RESOLVERS:
        resolver(app, pairs, result, diagnostics)
