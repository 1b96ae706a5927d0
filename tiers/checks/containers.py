"""Checks of sidecars and init containers: their names, and the settings that
only make sense on the pod or on a container that keeps running.

Their ports, env, images, resources and mounts are checked with the main
container's, by the checks of those areas.
"""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean
from tiers.model import app as model
from tiers.model.security import Probes
from tiers.resolve.containers import owners
from tiers.resolve.pods import DEFAULT_SECURITY, POD_WIDE


def _extra(context: Context) -> Iterator[tuple[ir.Tier, str, model.Container]]:
    """(tier, field, container) for every sidecar and init container as written."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for origin, owner in owners(written)[1:]:
            assert isinstance(owner, model.Container)
            yield tier, origin, owner


def check_sidecar_names(context: Context) -> Iterator[Diagnostic]:
    """Sidecar and init container names are DNS-1123 labels."""
    for tier, origin, container in _extra(context):
        reason = rules.dns1123_label(container.name)
        if reason:
            example = rules.suggest_name(container.name)
            hint = f" For example '{example}'." if example and example != container.name else ""
            message = f"'{container.name}' is not a valid container name: {reason}.{hint}"
            yield context.error("container-name", message, tier, f"{origin}.name")


def check_unique_container_names(context: Context) -> Iterator[Diagnostic]:
    """Container names are unique in a pod, init containers included."""
    for tier in context.resolved.tiers:
        seen: dict[str, ir.Container] = {}
        for container in sorted(tier.workload.pod_containers(), key=_written_order):
            first = seen.setdefault(container.name, container)
            if first is container:
                continue
            taken = first.origin or "the tier's main container"
            message = (
                f"'{container.name}' is already the name of {taken}; containers of a pod "
                "need names of their own"
            )
            yield context.error("container-duplicate", message, tier, f"{container.origin}.name")


def _written_order(container: ir.Container) -> tuple[int, int]:
    """The main container, then sidecars, then init containers, each in list order."""
    kind, _, index = container.origin.rstrip("]").partition("[")
    rank = {"": 0, "sidecars": 1, "init_containers": 2}.get(kind, 3)
    return rank, int(index) if index.isdigit() else 0


def check_pod_wide_security(context: Context) -> Iterator[Diagnostic]:
    """A container's :class:`~tiers.Security` leaves the pod-wide fields alone."""
    for tier, origin, container in _extra(context):
        security = container.security
        if security is None:
            continue
        for name in POD_WIDE:
            if getattr(security, name) != getattr(DEFAULT_SECURITY, name):
                message = (
                    "applies to the whole pod, not to one container: set it in the "
                    f"tier's security=Security({name}=...) instead"
                )
                field = f"{origin}.security.{name}"
                yield context.error("container-pod-setting", message, tier, field)


def check_init_container_kinds(context: Context) -> Iterator[Diagnostic]:
    """Init containers run to completion: no probes, and ``native_sidecar``
    belongs to ``sidecars``."""
    for tier, origin, container in _extra(context):
        if not origin.startswith("init_containers"):
            continue
        if isinstance(container.probes, Probes):
            message = (
                "an init container runs to completion, so Kubernetes allows it no probes: "
                "drop probes, or move it to sidecars if it keeps running"
            )
            yield context.error("init-container-probes", message, tier, f"{origin}.probes")
        if container.native_sidecar:
            message = (
                "only a sidecar can be native: move this container to sidecars=[...] "
                "(it then starts before the init containers and keeps running)"
            )
            yield context.error("init-container-native", message, tier, f"{origin}.native_sidecar")


def check_probe_ports(context: Context) -> Iterator[Diagnostic]:
    """A probe's port given by name is a port of the same container: the
    kubelet looks the name up in the probed container only."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
            names = [p.name for p in container.ports if p.name]
            for probe in (container.readiness, container.liveness):
                if probe is None or not isinstance(probe.port, str) or probe.port in names:
                    continue
                which = container.origin or "the tier's main container"
                listed = ", ".join(names) or "none"
                message = (
                    f"'{probe.port}' is not a port name of {which} (its named ports: "
                    f"{listed}); a probe can only name a port of the container it probes."
                    f"{did_you_mean(probe.port, names)}"
                )
                yield context.error("probe-port", message, tier, f"{probe.origin}.port")
