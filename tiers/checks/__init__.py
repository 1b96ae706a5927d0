"""Validate: every check of an app, in order, each one small function.

A check takes the :class:`Context` and yields diagnostics. To add one, write
the function in the module of its area and list it in :data:`CHECKS`; add a
bad app for it under ``tests/bad/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tiers.checks.availability import (
    check_autoscalers,
    check_disruption_budgets,
    check_topology_spread,
)
from tiers.checks.config import check_config_maps, check_mount_paths
from tiers.checks.context import Context
from tiers.checks.ingress import (
    check_ingress_conflicts,
    check_ingress_hosts,
    check_ingress_names,
    check_ingress_paths,
)
from tiers.checks.routes import check_route_gateway, check_route_hostnames, check_route_paths
from tiers.checks.services import check_selectors, check_target_ports
from tiers.diagnostics import Diagnostic

Check = Callable[[Context], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    check_target_ports,
    check_selectors,
    check_autoscalers,
    check_disruption_budgets,
    check_topology_spread,
    check_config_maps,
    check_mount_paths,
    check_ingress_hosts,
    check_ingress_paths,
    check_ingress_names,
    check_ingress_conflicts,
    check_route_hostnames,
    check_route_paths,
    check_route_gateway,
)


def run_checks(context: Context) -> list[Diagnostic]:
    """Every diagnostic of every check."""
    found: list[Diagnostic] = []
    for check in CHECKS:
        found.extend(check(context))
    return found


__all__ = ["CHECKS", "Check", "Context", "run_checks"]
