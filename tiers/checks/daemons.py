"""Checks of DaemonSets: the node paths they mount (each flagged), their
tolerations and their update strategy."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic
from tiers.model.base import given
from tiers.model.workloads import DaemonSet, HostPath, Toleration

_PERCENT_RANGE = range(1, 101)


def _daemons(context: Context) -> Iterator[tuple[ir.Tier, DaemonSet]]:
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if isinstance(written, DaemonSet):
            yield tier, written


def check_host_paths(context: Context) -> Iterator[Diagnostic]:
    """Node paths are absolute and plain; each one is a warning that names
    what it opens and the Pod Security level the namespace now enforces."""
    for tier, written in _daemons(context):
        for index, host_path in enumerate(written.host_paths):
            field = f"host_paths[{index}]"
            problem = _path_problem(host_path)
            if problem:
                yield context.error("host-path", problem, tier, field)
            else:
                yield context.warning("host-path", _exposure(tier, host_path), tier, field)


def _path_problem(host_path: HostPath) -> str | None:
    for name, path in (("path", host_path.path), ("mount_path", host_path.mount_path)):
        if path is None:
            continue
        if not path.startswith("/"):
            return f"{name} {path!r} must be absolute: '/{path.lstrip('./')}'"
        if posixpath.normpath(path) != path or ".." in path.split("/"):
            return (
                f"{name} {path!r} must be written plainly, for example {posixpath.normpath(path)!r}"
            )
    return None


def _exposure(tier: ir.Tier, host_path: HostPath) -> str:
    how = "read-only" if host_path.read_only else "writable, so the pod can change the node's files"
    return (
        f"mounts the node's {host_path.path} ({how}). A hostPath volume is forbidden by the "
        f"baseline Pod Security Standard, so namespace '{tier.namespace}' enforces the "
        "privileged level: keep node agents in a namespace of their own, and mount only "
        "what the agent reads"
    )


def check_tolerations(context: Context) -> Iterator[Diagnostic]:
    """A value needs a key; ``toleration_seconds`` applies to ``NoExecute`` only."""
    for tier, written in _daemons(context):
        for index, toleration in enumerate(written.tolerations):
            problem = _toleration_problem(toleration)
            if problem:
                field, message = problem
                yield context.error("toleration", message, tier, f"tolerations[{index}].{field}")


def _toleration_problem(toleration: Toleration) -> tuple[str, str] | None:
    if toleration.key is None and toleration.value is not None:
        return "value", "a value needs its key: Toleration('<key>', value=...)"
    if toleration.key == "":
        return "key", "an empty key: give the taint's key, or key=None for every taint"
    if toleration.toleration_seconds is not None and toleration.effect != "NoExecute":
        return (
            "toleration_seconds",
            "only a NoExecute taint evicts running pods: set effect='NoExecute' or drop it",
        )
    return None


def check_update_strategies(context: Context) -> Iterator[Diagnostic]:
    """``max_unavailable`` is at least one node (or 1-100%), for rolling updates."""
    for tier, written in _daemons(context):
        value = written.max_unavailable
        if written.update_strategy == "OnDelete" and "max_unavailable" in given(written):
            message = "applies to rolling updates only: drop it, or use RollingUpdate"
            yield context.error("update-strategy", message, tier, "max_unavailable")
        elif not _is_bound(value):
            message = (
                f"{value!r} is not a number of nodes (1 or more) or a percentage ('1%'-'100%'): "
                "with 0, a rolling update could never replace a pod"
            )
            yield context.error("update-strategy", message, tier, "max_unavailable")


def _is_bound(value: int | str) -> bool:
    if isinstance(value, int):
        return value >= 1
    digits = value.removesuffix("%")
    return value.endswith("%") and digits.isdigit() and int(digits) in _PERCENT_RANGE
