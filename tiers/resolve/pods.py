"""Resolve a tier's pod hardening: security contexts, writable paths,
resources and probes, from the kind's profile and the tier's overrides.

Every opt-out of the restricted Pod Security Standard becomes a warning
that says what it weakens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiers import ir
from tiers.diagnostics import Diagnostic, error, warning
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.profile import KindProfile
from tiers.model.quantity import larger
from tiers.model.security import Probe, Probes, Resources, Security

UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start"
HIGH_UID_FLOOR = 10000
POD_WIDE = ("fs_group", "seccomp_profile", "automount_service_account_token")
"""Security fields of the whole pod: set on the tier, never on a sidecar."""
DEFAULT_SECURITY = Security()
DEFAULT_RESOURCES = Resources()
DEFAULT_PROBES = Probes()
DEFAULT_PROBE = Probe()

_WEAKENED = {
    "run_as_non_root": (False, "the pod may run as root, so a container escape starts as root"),
    "read_only_root_filesystem": (
        False,
        "the root filesystem is writable, so an attacker can change the image's files",
    ),
    "allow_privilege_escalation": (
        True,
        "a process can gain more privileges than its parent (setuid binaries)",
    ),
    "seccomp_profile": ("Unconfined", "no seccomp filter: every system call is allowed"),
    "automount_service_account_token": (
        True,
        "the pod gets a Kubernetes API token, usable by anyone who takes over the pod",
    ),
}


@dataclass(frozen=True, slots=True)
class ContainerSpec:
    """What hardens one container: the profile its image needs, the user's
    overrides, and the field they were written in (``""`` for the tier's own)."""

    profile: KindProfile
    security: Security | None
    resources: Resources | None
    probes: Probes | bool | None
    origin: str = ""
    where: object = None
    runs_to_completion: bool = False
    """An init container: Kubernetes allows it no probes."""


def harden(
    tier: model.Tier,
    resolved: ir.Tier,
    diagnostics: list[Diagnostic],
    others: list[tuple[ir.Container, ContainerSpec]] | None = None,
) -> None:
    """Fill in the security, resources, probes and writable paths of
    ``resolved``'s pod: its main container, and each of ``others`` (sidecars
    and init containers) from its own :class:`ContainerSpec`."""
    profile = tier.profile
    security = tier.security if tier.security is not None else DEFAULT_SECURITY
    workload = resolved.workload
    ports = [p for c in workload.pod_containers() for p in c.ports]
    workload.security = pod_security(profile, security, ports)
    workload.automount_service_account_token = security.automount_service_account_token
    main = ContainerSpec(profile, tier.security, tier.resources, tier.probes, "", tier)
    for container, spec in [(workload.containers[0], main), *(others or [])]:
        harden_container(tier.name, workload, container, spec, diagnostics)


def harden_container(
    tier: str,
    workload: ir.Workload,
    container: ir.Container,
    spec: ContainerSpec,
    diagnostics: list[Diagnostic],
) -> None:
    """One container's securityContext, writable paths, resources and probes."""
    security = spec.security if spec.security is not None else DEFAULT_SECURITY
    container.security = ir.ContainerSecurity(
        run_as_non_root=security.run_as_non_root,
        read_only_root_filesystem=security.read_only_root_filesystem,
        allow_privilege_escalation=security.allow_privilege_escalation,
        add_capabilities=list(security.add_capabilities),
        run_as_user=security.run_as_user if spec.origin else None,
        run_as_group=security.run_as_group if spec.origin else None,
    )
    own = container.name if spec.origin else ""
    _mount_writable_paths(workload, container, list(spec.profile.writable_paths), own)
    _mount_writable_paths(workload, container, security.writable_paths)
    container.resources = resources(spec.profile, spec.resources)
    container.resources.origin = ir.field_path(spec.origin, "resources")
    if spec.security is not None:
        diagnostics.extend(_opt_out_warnings(tier, spec.security, spec.origin))
    if not spec.runs_to_completion:
        _harden_probes(tier, container, spec, diagnostics)


def _harden_probes(
    tier: str, container: ir.Container, spec: ContainerSpec, diagnostics: list[Diagnostic]
) -> None:
    container.readiness, container.liveness = probes(
        spec.profile, spec.probes, container.ports, spec.origin
    )
    diagnostics.extend(_probe_warnings(tier, spec))
    if _same_probe(container.readiness, container.liveness):
        diagnostics.append(_identical_probes(tier, spec))


def pod_security(
    profile: KindProfile, security: Security, ports: list[ir.ContainerPort]
) -> ir.PodSecurity:
    """The pod's securityContext: the kind's ids unless overridden."""
    user = security.run_as_user if security.run_as_user is not None else profile.run_as_user
    group = security.run_as_group if security.run_as_group is not None else profile.run_as_group
    fs_group = security.fs_group if security.fs_group is not None else profile.fs_group
    sysctls = {}
    low = [p.number for p in ports if p.number < 1024 and p.protocol != "SCTP"]
    if low and user != 0:
        sysctls[UNPRIVILEGED_PORT_START] = str(min(low))
    return ir.PodSecurity(
        run_as_user=user,
        run_as_group=group,
        fs_group=fs_group,
        run_as_non_root=security.run_as_non_root,
        seccomp_profile=security.seccomp_profile,
        sysctls=sysctls,
    )


def volume_name(path: str) -> str:
    """A volume name for a path: ``/var/cache/nginx`` → ``var-cache-nginx``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return (slug or "root")[:63].rstrip("-")


def _mount_writable_paths(
    workload: ir.Workload, container: ir.Container, paths: list[str], own: str = ""
) -> None:
    """An emptyDir per path; containers listing the same path share it, except
    a sidecar's default paths (``/tmp``), named after the container (``own``)."""
    taken = {v.name for v in workload.volumes}
    for path in dict.fromkeys(paths):
        name = volume_name(f"{own}-{path}" if own else path)
        if name not in taken:
            workload.volumes.append(ir.Volume(name))
            taken.add(name)
        container.volume_mounts.append(ir.VolumeMount(name, path))


def resources(profile: KindProfile, override: Resources | None) -> ir.Resources:
    """Requests and limits: the override's fields, else the kind's defaults; an
    unset limit is at least its request."""
    default = profile.resources
    given = override if override is not None else DEFAULT_RESOURCES
    cpu = given.cpu or default.cpu
    memory = given.memory or default.memory
    cpu_limit = given.cpu_limit or larger(default.cpu_limit, cpu)
    memory_limit = given.memory_limit or larger(default.memory_limit, memory)
    return ir.Resources(
        requests={"cpu": cpu, "memory": memory},
        limits={"cpu": cpu_limit, "memory": memory_limit},
    )


def probes(
    profile: KindProfile,
    given: Probes | bool | None,
    ports: list[ir.ContainerPort],
    origin: str = "",
) -> tuple[ir.Probe | None, ir.Probe | None]:
    """The readiness and liveness probes; none for a container without ports."""
    if not ports or given is False:
        return None, None
    spec = given if isinstance(given, Probes) else DEFAULT_PROBES
    path = spec.path or (profile.probe_path if profile.probe == "http" else None)
    field = ir.field_path(origin, "probes")
    readiness = _probe(spec.readiness, path, ports, (5, 10, 3, 3), f"{field}.readiness")
    start = profile.startup_seconds
    liveness = _probe(spec.liveness, path, ports, (start, 20, 5, 3), f"{field}.liveness")
    return readiness, liveness


def _probe(
    given: Probe | bool | None,
    path: str | None,
    ports: list[ir.ContainerPort],
    timings: tuple[int, int, int, int],
    origin: str,
) -> ir.Probe | None:
    if given is False:
        return None
    spec = given if isinstance(given, Probe) else DEFAULT_PROBE
    delay, period, timeout, failures = timings
    port = spec.port if spec.port is not None else ports[0].number
    return ir.Probe(
        port=port,
        path=None if spec.tcp else (spec.path or path),
        initial_delay_seconds=_or(spec.initial_delay_seconds, delay),
        period_seconds=_or(spec.period_seconds, period),
        timeout_seconds=_or(spec.timeout_seconds, timeout),
        failure_threshold=_or(spec.failure_threshold, failures),
        origin=origin,
    )


def _identical_probes(tier: str, spec: ContainerSpec) -> Diagnostic:
    return warning(
        "probe-identical",
        "readiness and liveness are identical, so a pod that is only busy is restarted "
        "instead of taken out of the Service: give liveness a longer period or more failures",
        tier=tier,
        field=ir.field_path(spec.origin, "probes.liveness"),
        location=defined_at(spec.probes if isinstance(spec.probes, Probes) else spec.where),
    )


def _same_probe(first: ir.Probe | None, second: ir.Probe | None) -> bool:
    if first is None or second is None:
        return False
    return (first.port, first.path, first.period_seconds, first.failure_threshold) == (
        second.port,
        second.path,
        second.period_seconds,
        second.failure_threshold,
    )


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _opt_out_warnings(tier: str, security: Security, origin: str = "") -> list[Diagnostic]:
    found = []
    where = defined_at(security)
    for name, (weak, why) in _WEAKENED.items():
        if origin and name in POD_WIDE:
            continue  # an error on a sidecar: see tiers/checks/containers.py
        if getattr(security, name) == weak:
            found.append(_weakens(tier, ir.field_path(origin, f"security.{name}"), why, where))
    if security.add_capabilities:
        listed = ", ".join(security.add_capabilities)
        field = ir.field_path(origin, "security.add_capabilities")
        found.append(_weakens(tier, field, f"the container gains {listed}", where))
    user = security.run_as_user
    if user == 0 and security.run_as_non_root:
        found.append(
            error(
                "security-root-user",
                "uid 0 is root, which runAsNonRoot forbids, so the pod would never start: "
                "also set run_as_non_root=False, or choose a uid of 10000 or more",
                tier=tier,
                field=ir.field_path(origin, "security.run_as_user"),
                location=where,
            )
        )
    elif user is not None and user < HIGH_UID_FLOOR:
        found.append(
            _weakens(
                tier,
                ir.field_path(origin, "security.run_as_user"),
                "uid 0 is root"
                if user == 0
                else f"uid {user} is below {HIGH_UID_FLOOR} and may match a user of the node",
                where,
            )
        )
    return found


def _weakens(tier: str, field: str, why: str, where: object) -> Diagnostic:
    return warning(
        "security-opt-out",
        f"weakens the restricted Pod Security Standard: {why}",
        tier=tier,
        field=field,
        location=where,
    )


def _probe_warnings(tier: str, spec: ContainerSpec) -> list[Diagnostic]:
    given = spec.probes
    where = defined_at(given) if isinstance(given, Probes) else defined_at(spec.where)
    off = []
    if given is False:
        off = ["probes"]
    elif isinstance(given, Probes):
        off = [f"probes.{n}" for n in ("readiness", "liveness") if getattr(given, n) is False]
    why = {
        "probes": "Kubernetes neither holds back traffic from pods that are not ready nor "
        "restarts pods that hang",
        "probes.readiness": "Kubernetes sends traffic to pods before they are ready",
        "probes.liveness": "Kubernetes never restarts a pod that hangs",
    }
    return [
        warning(
            "probe-disabled",
            f"disabled: {why[f]}",
            tier=tier,
            field=ir.field_path(spec.origin, f),
            location=where,
        )
        for f in off
    ]
