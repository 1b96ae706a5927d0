"""Resolve a tier's pod hardening: security contexts, writable paths,
resources and probes, from the kind's profile and the tier's overrides.

Every opt-out becomes a warning that says what it weakens, and whether a
Pod Security Standard forbids it: "weakens the restricted Pod Security
Standard" only for what restricted forbids (checked against
:func:`tiers.checks.pss.pss_level` by the tests); a uid other than 0 and
``NET_BIND_SERVICE`` are no opt-out at all. ``Security(level="baseline")``
is the one choice for an image that must start as root: the Namespace's
label then follows from the emitted pods (:mod:`tiers.checks.emitted`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tiers import ir
from tiers.diagnostics import Diagnostic, error, warning
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.profile import SIDECAR_PROFILE, KindProfile
from tiers.model.quantity import larger
from tiers.model.security import Probes, Resources, Security
from tiers.resolve.probes import disabled_probes, identical_probes, probes, same_probe
from tiers.resolve.seeds import ORIGIN as SEED_ORIGIN
from tiers.resolve.seeds import seed_containers

UNPRIVILEGED_PORT_START = "net.ipv4.ip_unprivileged_port_start"
RESTRICTED_ADDS = frozenset({"NET_BIND_SERVICE"})
"""The one capability restricted lets a container add."""
RUNTIME_CAPABILITIES = (
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
)
"""What a container runtime (containerd, CRI-O) gives a container by default,
less ``NET_RAW``: exactly the capabilities baseline allows. A baseline tier's
containers drop ``ALL`` and add these, so an entrypoint that starts as root
can change its files' owner and switch to its user."""
POD_WIDE = ("level", "fs_group", "seccomp_profile", "automount_service_account_token")
"""Security fields of the whole pod: set on the tier, never on a sidecar."""
DEFAULT_SECURITY = Security()
DEFAULT_RESOURCES = Resources()

FORBIDS_RESTRICTED = "weakens the restricted Pod Security Standard, which forbids it"
FORBIDS_BASELINE = "weakens the baseline Pod Security Standard, which forbids it"
NOT_PSS = "weakens a secure default of tiers (no Pod Security Standard rule)"
_WEAKENED = {
    "run_as_non_root": (
        False,
        FORBIDS_RESTRICTED,
        "the pod may run as root, so a container escape starts as root",
    ),
    "read_only_root_filesystem": (
        False,
        NOT_PSS,
        "the root filesystem is writable, so an attacker can change the image's files",
    ),
    "allow_privilege_escalation": (
        True,
        FORBIDS_RESTRICTED,
        "a process can gain more privileges than its parent (setuid binaries)",
    ),
    "seccomp_profile": (
        "Unconfined",
        FORBIDS_BASELINE,
        "no seccomp filter: every system call is allowed",
    ),
    "automount_service_account_token": (
        True,
        NOT_PSS,
        "the pod gets a Kubernetes API token, usable by anyone who takes over the pod",
    ),
}
"""Field → (its weak value, which rule it breaks, what it allows)."""


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
    given = tier_security(tier)
    security = given if given is not None else DEFAULT_SECURITY
    workload = resolved.workload
    ports = [p for c in workload.pod_containers() for p in c.ports]
    workload.security = pod_security(profile, security, ports, tier.storage is not None)
    workload.automount_service_account_token = security.automount_service_account_token
    main = ContainerSpec(profile, given, tier.resources, tier.probes, "", tier)
    harden_container(tier.name, workload, workload.containers[0], main, diagnostics)
    seeds = seed_containers(profile, workload)
    workload.init_containers[:0] = seeds
    copy = ContainerSpec(SIDECAR_PROFILE, None, None, None, SEED_ORIGIN, tier, True)
    for container, spec in [*((c, copy) for c in seeds), *(others or [])]:
        harden_container(tier.name, workload, container, spec, diagnostics)


def tier_security(tier: model.Tier) -> Security | None:
    """The tier's :class:`~tiers.Security`; ``security="baseline"`` is short
    for ``Security(level="baseline")``."""
    given = tier.security
    if isinstance(given, str):
        return Security(level=given)
    return given


def harden_container(
    tier: str,
    workload: ir.Workload,
    container: ir.Container,
    spec: ContainerSpec,
    diagnostics: list[Diagnostic],
) -> None:
    """One container's securityContext, writable paths, resources and probes."""
    security = spec.security if spec.security is not None else DEFAULT_SECURITY
    baseline = security.level == "baseline"
    added = [*(RUNTIME_CAPABILITIES if baseline else ()), *security.add_capabilities]
    container.security = ir.ContainerSecurity(
        run_as_non_root=security.run_as_non_root and not baseline,
        read_only_root_filesystem=security.read_only_root_filesystem,
        allow_privilege_escalation=security.allow_privilege_escalation,
        add_capabilities=list(dict.fromkeys(added)),
        run_as_user=security.run_as_user if spec.origin else None,
        run_as_group=security.run_as_group if spec.origin else None,
    )
    own = container.name if spec.origin else ""
    mount_writable_paths(workload, container, list(spec.profile.writable_paths), own)
    mount_writable_paths(workload, container, security.writable_paths)
    container.resources = resources(spec.profile, spec.resources)
    container.resources.origin = ir.field_path(spec.origin, "resources")
    if spec.security is not None:
        diagnostics.extend(_opt_out_warnings(tier, spec.security, spec.origin))
    if not spec.runs_to_completion:
        _harden_probes(tier, container, spec, diagnostics)


def _harden_probes(
    tier: str, container: ir.Container, spec: ContainerSpec, diagnostics: list[Diagnostic]
) -> None:
    container.readiness, container.liveness, container.startup = probes(
        spec.profile, spec.probes, container.ports, spec.origin
    )
    diagnostics.extend(disabled_probes(tier, spec.origin, spec.probes, spec.where))
    if same_probe(container.readiness, container.liveness):
        diagnostics.append(identical_probes(tier, spec.origin, spec.probes, spec.where))


def pod_security(
    profile: KindProfile, security: Security, ports: list[ir.ContainerPort], storage: bool = False
) -> ir.PodSecurity:
    """The pod's securityContext: the kind's ids unless overridden (a
    baseline tier: the image's own, unless given). A tier with ``storage``
    and no fsGroup gets its gid as fsGroup, so its uid can write the volume."""
    baseline = security.level == "baseline"
    user = _first(security.run_as_user, None if baseline else profile.run_as_user)
    group = _first(security.run_as_group, None if baseline else profile.run_as_group)
    fs_group = _first(security.fs_group, profile.fs_group)
    if fs_group is None and storage:
        fs_group = group
    sysctls = {}
    low = [p.number for p in ports if p.number < 1024 and p.protocol != "SCTP"]
    if low and user != 0 and not baseline:
        sysctls[UNPRIVILEGED_PORT_START] = str(min(low))
    return ir.PodSecurity(
        run_as_user=user,
        run_as_group=group,
        fs_group=fs_group,
        run_as_non_root=security.run_as_non_root and not baseline,
        seccomp_profile=security.seccomp_profile,
        sysctls=sysctls,
        fs_group_change_policy=profile.fs_group_change_policy if fs_group is not None else None,
    )


def _first(given: int | None, default: int | None) -> int | None:
    return given if given is not None else default


def volume_name(path: str) -> str:
    """A volume name for a path: ``/var/cache/nginx`` → ``var-cache-nginx``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return (slug or "root")[:63].rstrip("-")


def mount_writable_paths(
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


def _opt_out_warnings(tier: str, security: Security, origin: str = "") -> list[Diagnostic]:
    found = []
    where = defined_at(security)
    for name, (weak, rule, why) in _WEAKENED.items():
        if origin and name in POD_WIDE:
            continue  # an error on a sidecar: see tiers/checks/containers.py
        if name == "run_as_non_root" and security.level == "baseline":
            continue  # the level says it, once: see tiers.checks.emitted
        if getattr(security, name) == weak:
            field = ir.field_path(origin, f"security.{name}")
            found.append(_weakens(tier, field, f"{rule}: {why}", where))
    found += _capability_warnings(tier, security, origin, where)
    found += _root_user(tier, security, origin, where)
    return found


def _capability_warnings(
    tier: str, security: Security, origin: str, where: object
) -> list[Diagnostic]:
    """Restricted allows ``NET_BIND_SERVICE`` alone; baseline the runtime's
    defaults; anything else needs privileged."""
    added = [c for c in security.add_capabilities if c not in RESTRICTED_ADDS]
    beyond = [c for c in added if c not in RUNTIME_CAPABILITIES]
    within = [c for c in added if c in RUNTIME_CAPABILITIES and security.level != "baseline"]
    field = ir.field_path(origin, "security.add_capabilities")
    found = []
    if within:
        why = f"the container gains {', '.join(within)} (restricted allows NET_BIND_SERVICE only)"
        found.append(_weakens(tier, field, f"{FORBIDS_RESTRICTED}: {why}", where))
    if beyond:
        why = f"the container gains {', '.join(beyond)}, beyond the runtime's defaults"
        found.append(_weakens(tier, field, f"{FORBIDS_BASELINE}: {why}", where))
    return found


def _root_user(tier: str, security: Security, origin: str, where: object) -> list[Diagnostic]:
    """uid 0: an error while runAsNonRoot holds (the pod would never start),
    else a warning, as restricted forbids it. Any other uid meets restricted."""
    if security.run_as_user != 0:
        return []
    field = ir.field_path(origin, "security.run_as_user")
    if security.run_as_non_root and security.level != "baseline":
        message = (
            "uid 0 is root, which runAsNonRoot forbids, so the pod would never start: "
            'also set run_as_non_root=False (or security="baseline"), or choose another uid'
        )
        return [error("security-root-user", message, tier=tier, field=field, location=where)]
    return [_weakens(tier, field, f"{FORBIDS_RESTRICTED}: uid 0 is root", where)]


def _weakens(tier: str, field: str, message: str, where: object) -> Diagnostic:
    return warning("security-opt-out", message, tier=tier, field=field, location=where)
