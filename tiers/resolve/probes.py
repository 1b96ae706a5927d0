"""A container's readiness, liveness and startup probes, from the kind's
profile and the user's :class:`~tiers.Probes`.

Each probe has one handler: the one its :class:`~tiers.Probe` names (``path``,
``tcp``, ``command``, ``grpc``), else the tier's ``Probes(path=...)``, else
the kind's (HTTP for Backend and Frontend, the server's own command for
Postgres and the others, TCP otherwise). A startup probe, when the kind or
``startup_seconds`` asks for one, uses the readiness handler and holds
liveness back until it passes, so a slow first start is not killed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tiers import ir
from tiers.diagnostics import Diagnostic, warning
from tiers.model.base import defined_at
from tiers.model.profile import KindProfile
from tiers.model.security import Probe, Probes

DEFAULT_PROBES = Probes()
DEFAULT_PROBE = Probe()
STARTUP_PERIOD = 10
READINESS = (5, 10, 3, 3)
LIVENESS_PERIOD, LIVENESS_TIMEOUT = 20, 5


@dataclass(frozen=True, slots=True)
class Handler:
    """What a probe does: exec ``command``, a gRPC check, GET ``path``, or TCP."""

    path: str | None = None
    command: tuple[str, ...] | None = None
    grpc: bool = False
    grpc_service: str | None = None


def kind_handler(profile: KindProfile, spec: Probes) -> Handler:
    """The handler a probe gets when its :class:`~tiers.Probe` names none."""
    if spec.path:
        return Handler(path=spec.path)
    if profile.probe == "http":
        return Handler(path=profile.probe_path)
    if profile.probe == "exec" and profile.probe_command:
        return Handler(command=profile.probe_command)
    return Handler(grpc=profile.probe == "grpc")


def own_handler(given: Probe, default: Handler) -> Handler:
    """The handler ``given`` names, else ``default``."""
    if given.command is not None:
        return Handler(command=tuple(given.command))
    if given.grpc:
        return Handler(grpc=True, grpc_service=given.grpc_service)
    if given.tcp:
        return Handler()
    if given.path is not None:
        return Handler(path=given.path)
    return default


def probes(
    profile: KindProfile,
    given: Probes | bool | None,
    ports: list[ir.ContainerPort],
    origin: str = "",
) -> tuple[ir.Probe | None, ir.Probe | None, ir.Probe | None]:
    """The readiness, liveness and startup probes; none for a container
    without ports, unless a probe runs a command."""
    if given is False:
        return None, None, None
    spec = given if isinstance(given, Probes) else DEFAULT_PROBES
    default = kind_handler(profile, spec)
    if not ports and default.command is None and not _has_command(spec):
        return None, None, None
    field = ir.field_path(origin, "probes")
    timeout = profile.probe_timeout_seconds
    ready = (*READINESS[:2], timeout or READINESS[2], READINESS[3])
    readiness = _probe(spec.readiness, default, ports, ready, f"{field}.readiness")
    startup = _startup(profile, spec, default, ports, f"{field}.startup")
    delay = 0 if startup is not None else profile.startup_seconds
    live = (delay, LIVENESS_PERIOD, timeout or LIVENESS_TIMEOUT, 3)
    liveness = _probe(spec.liveness, default, ports, live, f"{field}.liveness")
    return readiness, liveness, startup


def _has_command(spec: Probes) -> bool:
    found = (spec.readiness, spec.liveness, spec.startup)
    return any(isinstance(p, Probe) and p.command is not None for p in found)


def _startup(
    profile: KindProfile,
    spec: Probes,
    default: Handler,
    ports: list[ir.ContainerPort],
    origin: str,
) -> ir.Probe | None:
    """A startup probe when ``startup`` is a Probe, ``startup_seconds`` is
    given, or the kind asks for one; its failures cover the start-up time."""
    if spec.startup is False:
        return None
    seconds = spec.startup_seconds
    if seconds is None and (profile.startup_probe or isinstance(spec.startup, Probe)):
        seconds = profile.startup_seconds
    if seconds is None:
        return None
    given = spec.startup if isinstance(spec.startup, Probe) else DEFAULT_PROBE
    period = given.period_seconds or STARTUP_PERIOD
    timeout = profile.probe_timeout_seconds or READINESS[2]
    failures = max(1, math.ceil(seconds / period))
    return _probe(given, default, ports, (0, period, timeout, failures), origin)


def _probe(
    given: Probe | bool | None,
    default: Handler,
    ports: list[ir.ContainerPort],
    timings: tuple[int, int, int, int],
    origin: str,
) -> ir.Probe | None:
    if given is False:
        return None
    spec = given if isinstance(given, Probe) else DEFAULT_PROBE
    handler = own_handler(spec, default)
    if handler.command is None and not ports and spec.port is None:
        return None  # nothing to connect to: only a command can probe this container
    delay, period, timeout, failures = timings
    port = _port(spec.port, ports, handler.grpc)
    return ir.Probe(
        port=port,
        path=handler.path,
        initial_delay_seconds=_or(spec.initial_delay_seconds, delay),
        period_seconds=_or(spec.period_seconds, period),
        timeout_seconds=_or(spec.timeout_seconds, timeout),
        failure_threshold=_or(spec.failure_threshold, failures),
        origin=origin,
        command=list(handler.command) if handler.command is not None else None,
        grpc=handler.grpc,
        grpc_service=handler.grpc_service,
    )


def _port(given: int | str | None, ports: list[ir.ContainerPort], grpc: bool) -> int | str:
    """The probed port: a gRPC probe takes a number only, so a name is looked up."""
    if given is None:
        return ports[0].number if ports else 0
    if grpc and isinstance(given, str):
        return next((p.number for p in ports if p.name == given), given)
    return given


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def same_probe(first: ir.Probe | None, second: ir.Probe | None) -> bool:
    """Two probes that would fail at the same moments."""
    if first is None or second is None:
        return False
    return _shape(first) == _shape(second)


def _shape(probe: ir.Probe) -> tuple[object, ...]:
    return (
        probe.port,
        probe.path,
        probe.command,
        probe.grpc,
        probe.period_seconds,
        probe.failure_threshold,
    )


def identical_probes(tier: str, origin: str, given: object, where: object) -> Diagnostic:
    """Readiness and liveness fail together: a busy pod is restarted."""
    return warning(
        "probe-identical",
        "readiness and liveness are identical, so a pod that is only busy is restarted "
        "instead of taken out of the Service: give liveness a longer period or more failures",
        tier=tier,
        field=ir.field_path(origin, "probes.liveness"),
        location=defined_at(given if isinstance(given, Probes) else where),
    )


_DISABLED = {
    "probes": "Kubernetes neither holds back traffic from pods that are not ready nor "
    "restarts pods that hang",
    "probes.readiness": "Kubernetes sends traffic to pods before they are ready",
    "probes.liveness": "Kubernetes never restarts a pod that hangs",
}


def disabled_probes(tier: str, origin: str, given: object, where: object) -> list[Diagnostic]:
    """A warning for each probe turned off with ``False`` (a startup probe
    turned off is no weakness: liveness then waits its initial delay)."""
    location = defined_at(given) if isinstance(given, Probes) else defined_at(where)
    off = []
    if given is False:
        off = ["probes"]
    elif isinstance(given, Probes):
        off = [f"probes.{n}" for n in ("readiness", "liveness") if getattr(given, n) is False]
    return [
        warning(
            "probe-disabled",
            f"disabled: {_DISABLED[f]}",
            tier=tier,
            field=ir.field_path(origin, f),
            location=location,
        )
        for f in off
    ]
