"""Checks of workloads: their replica counts."""

from __future__ import annotations

from collections.abc import Iterator

from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic


def check_replicas(context: Context) -> Iterator[Diagnostic]:
    """``replicas`` is 0 or more."""
    for tier in context.resolved.tiers:
        replicas = tier.workload.replicas
        if replicas is not None and replicas < 0:
            message = f"{replicas} is negative: use 0 or more (0 stops the tier's pods)"
            yield context.error("replicas", message, tier, "replicas")
