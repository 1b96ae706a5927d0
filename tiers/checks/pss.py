"""The Pod Security Standards, evaluated on a pod spec as it is emitted.

:func:`pss_level` says which of Kubernetes' three levels (``restricted``,
``baseline``, ``privileged``) a pod needs, and why: every field that takes it
out of ``restricted`` or ``baseline``, with the path of the field. It follows
the rules of the Pod Security admission controller
(https://kubernetes.io/docs/concepts/security/pod-security-standards/) for
Kubernetes 1.30 and every newer version at once: a rule a later version adds
counts (a probe's ``host``, 1.34), a relaxation it brings does not (more safe
sysctls, 1.32), so the level it gives is admitted by every cluster from 1.30 on:

>>> pss_level({"containers": [{"name": "app", "securityContext": {"privileged": True}}]})[0]
'privileged'
>>> level, reasons = pss_level({"containers": [{"name": "app"}]})
>>> level, reasons[0].field
('baseline', 'containers[0].securityContext.allowPrivilegeEscalation')

:func:`pod_specs` finds the pod specs of an object (a Deployment's
``spec.template.spec``, a CronJob's job template, a Pod's own spec). Both take
plain dictionaries, so they judge whatever an object ends up holding: after
patches and user templates, as the API server will see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["restricted", "baseline", "privileged"]
LEVELS: tuple[Level, ...] = ("restricted", "baseline", "privileged")
"""From the least privileged to the most: a namespace enforcing a level admits
every pod that meets it or a level before it."""
_MAPPINGS = (dict, Mapping)
"""What ``isinstance`` takes for a mapping: a dict is told at once, before the ABC."""

BASELINE_CAPABILITIES = frozenset(
    {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD"}
    | {"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
)
"""The capabilities baseline lets a container add."""

RESTRICTED_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})
"""The one capability restricted lets a container add (after dropping ``ALL``)."""

SAFE_SYSCTLS = frozenset(
    {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies"}
    | {"net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"}
    | {"net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time"}
    | {"net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl"}
    | {"net.ipv4.tcp_keepalive_probes"}
)
"""The sysctls baseline allows (Kubernetes 1.30)."""

SELINUX_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
"""The SELinux types baseline allows (Kubernetes 1.30)."""

RESTRICTED_VOLUMES = frozenset(
    {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim"}
    | {"projected", "secret"}
)
"""The volume sources restricted allows."""

CONFINED_SECCOMP = frozenset({"RuntimeDefault", "Localhost"})
APPARMOR_TYPES = frozenset({"RuntimeDefault", "Localhost"})
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
HOST_HANDLERS = (
    ("livenessProbe",),
    ("readinessProbe",),
    ("startupProbe",),
    ("lifecycle", "postStart"),
    ("lifecycle", "preStop"),
)
"""Probes and lifecycle handlers, whose ``host`` baseline forbids (1.34+)."""
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
POD_TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
"""Where each kind that makes pods keeps its pod (metadata and spec)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One field that needs ``level``: ``baseline`` when restricted forbids it,
    ``privileged`` when baseline does. ``field`` is its path in the pod spec
    (``containers[1].securityContext.privileged``; an annotation's is
    ``metadata.annotations[...]``); ``message`` says what it allows."""

    level: Level
    field: str
    message: str


def pss_level(
    pod_spec: Mapping[str, Any], annotations: Mapping[str, Any] | None = None
) -> tuple[Level, list[Reason]]:
    """The least privileged Pod Security level that admits a pod with
    ``pod_spec`` (and pod ``annotations``), and every reason it is not
    ``restricted``, in the order of the fields."""
    reasons = [*_baseline(pod_spec, annotations or {}), *_restricted(pod_spec)]
    return most_privileged(r.level for r in reasons), reasons


def most_privileged(levels: Iterable[Level]) -> Level:
    """The least privileged level that admits pods of every one of ``levels``."""
    found = set(levels)
    return next((level for level in reversed(LEVELS) if level in found), "restricted")


def pod_specs(manifest: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """(path of the pod template, its annotations, its spec) for the pods an
    object makes: ``("spec.template.", {...}, {...})`` for a Deployment,
    ``("", ...)`` for a Pod. Nothing for kinds that make no pods."""
    path = POD_TEMPLATE_PATHS.get(str(manifest.get("kind")))
    if path is None:
        return
    pod: Any = manifest
    for part in path:
        pod = pod.get(part) if isinstance(pod, _MAPPINGS) else None
    if isinstance(pod, _MAPPINGS) and isinstance(pod.get("spec"), _MAPPINGS):
        metadata = pod.get("metadata")
        found = metadata.get("annotations") if isinstance(metadata, _MAPPINGS) else None
        prefix = "".join(f"{p}." for p in path)
        yield prefix, found if isinstance(found, _MAPPINGS) else {}, pod["spec"]


def containers(pod_spec: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(path, container) for every container of the pod: init, regular, ephemeral."""
    for field in CONTAINER_LISTS:
        found = pod_spec.get(field)
        for index, container in enumerate(found if isinstance(found, list) else []):
            if isinstance(container, _MAPPINGS):
                yield f"{field}[{index}]", container


def _get(value: Any, *path: str) -> Any:
    for part in path:
        value = value.get(part) if isinstance(value, _MAPPINGS) else None
    return value


def _set(value: Any) -> bool:
    """True unless ``value`` is unset or false: anything else is taken as set."""
    return value is not None and value is not False


def _security(pod_spec: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path, securityContext) of the pod and of each container."""
    yield "securityContext", _get(pod_spec, "securityContext")
    for path, container in containers(pod_spec):
        yield f"{path}.securityContext", container.get("securityContext")


def _privileged(field: str, message: str) -> Reason:
    return Reason("privileged", field, message)


def _weaker(field: str, message: str) -> Reason:
    return Reason("baseline", field, message)


def _baseline(pod_spec: Mapping[str, Any], annotations: Mapping[str, Any]) -> Iterator[Reason]:
    yield from _host_namespaces(pod_spec)
    yield from _host_process(pod_spec)
    yield from _privileged_containers(pod_spec)
    yield from _added_capabilities(pod_spec, "privileged")
    yield from _host_paths(pod_spec)
    yield from _host_ports(pod_spec)
    yield from _apparmor(pod_spec, annotations)
    yield from _selinux(pod_spec)
    yield from _proc_mount(pod_spec)
    yield from _unconfined_seccomp(pod_spec)
    yield from _sysctls(pod_spec)
    yield from _host_probes(pod_spec)


def _host_namespaces(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    shared = {
        "hostNetwork": "the pod shares the node's network: it sees the node's traffic and ports",
        "hostPID": "the pod shares the node's process table: it sees and signals every process",
        "hostIPC": "the pod shares the node's inter-process communication (shared memory)",
    }
    for field, why in shared.items():
        if _set(pod_spec.get(field)):
            yield _privileged(field, why)


def _host_process(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, context in _security(pod_spec):
        if _set(_get(context, "windowsOptions", "hostProcess")):
            field = f"{path}.windowsOptions.hostProcess"
            yield _privileged(field, "a Windows HostProcess container has the node's access")


def _privileged_containers(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, container in containers(pod_spec):
        if _set(_get(container, "securityContext", "privileged")):
            field = f"{path}.securityContext.privileged"
            yield _privileged(field, "a privileged container has every capability of the node")


def _added_capabilities(pod_spec: Mapping[str, Any], level: Level) -> Iterator[Reason]:
    """Capabilities beyond baseline's (``level`` privileged), or beyond
    restricted's but within baseline's (``level`` baseline)."""
    for path, container in containers(pod_spec):
        added = _get(container, "securityContext", "capabilities", "add")
        extra = [str(c) for c in (added if isinstance(added, list) else []) if _beyond(c, level)]
        if extra:
            field = f"{path}.securityContext.capabilities.add"
            yield Reason(level, field, f"the container gains {', '.join(extra)}")


def _beyond(capability: Any, level: Level) -> bool:
    if level == "privileged":
        return capability not in BASELINE_CAPABILITIES
    return capability in BASELINE_CAPABILITIES - RESTRICTED_CAPABILITIES


def _host_paths(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    volumes = pod_spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(volume, _MAPPINGS) and _set(volume.get("hostPath")):
            where = _get(volume, "hostPath", "path")
            yield _privileged(
                f"volumes[{index}].hostPath",
                f"the pod mounts the node's directory {where!r}",
            )


def _host_ports(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, container in containers(pod_spec):
        ports = container.get("ports")
        for index, port in enumerate(ports if isinstance(ports, list) else []):
            host = _get(port, "hostPort")
            if _set(host) and host != 0:
                field = f"{path}.ports[{index}].hostPort"
                yield _privileged(field, f"the pod binds port {host} of the node")


def _apparmor(pod_spec: Mapping[str, Any], annotations: Mapping[str, Any]) -> Iterator[Reason]:
    for path, context in _security(pod_spec):
        kind = _get(context, "appArmorProfile", "type")
        if kind is not None and kind not in APPARMOR_TYPES:
            field = f"{path}.appArmorProfile.type"
            yield _privileged(field, f"AppArmor profile {kind!r} lifts the default confinement")
    for key, value in annotations.items():
        if str(key).startswith(APPARMOR_ANNOTATION) and not _confined_apparmor(value):
            field = f"metadata.annotations[{key}]"
            yield _privileged(field, f"AppArmor profile {value!r} lifts the default confinement")


def _confined_apparmor(value: Any) -> bool:
    return value == "runtime/default" or (isinstance(value, str) and value.startswith("localhost/"))


def _selinux(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, context in _security(pod_spec):
        options = _get(context, "seLinuxOptions")
        kind = _get(options, "type")
        if kind is not None and kind not in SELINUX_TYPES:
            field = f"{path}.seLinuxOptions.type"
            yield _privileged(field, f"SELinux type {kind!r} is not a container type")
        for part in ("user", "role"):
            if _get(options, part) not in (None, ""):
                field = f"{path}.seLinuxOptions.{part}"
                yield _privileged(field, f"a custom SELinux {part} lifts the container's label")


def _proc_mount(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, container in containers(pod_spec):
        mount = _get(container, "securityContext", "procMount")
        if mount not in (None, "Default"):
            field = f"{path}.securityContext.procMount"
            yield _privileged(field, f"procMount {mount!r} unmasks the node's /proc")


def _unconfined_seccomp(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, context in _security(pod_spec):
        if _get(context, "seccompProfile", "type") == "Unconfined":
            field = f"{path}.seccompProfile.type"
            yield _privileged(field, "no seccomp filter: every system call is allowed")


def _sysctls(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    sysctls = _get(pod_spec, "securityContext", "sysctls")
    for index, sysctl in enumerate(sysctls if isinstance(sysctls, list) else []):
        name = _get(sysctl, "name")
        if name not in SAFE_SYSCTLS:
            field = f"securityContext.sysctls[{index}]"
            yield _privileged(field, f"sysctl {name!r} is not namespaced: it changes the node")


def _host_probes(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    """A probe or lifecycle handler aimed at another host (baseline, 1.34+)."""
    for path, container in containers(pod_spec):
        for handler in HOST_HANDLERS:
            for action in ("httpGet", "tcpSocket"):
                host = _get(container, *handler, action, "host")
                if host not in (None, ""):
                    field = ".".join((path, *handler, action, "host"))
                    yield _privileged(field, f"the kubelet connects to {host!r} for the pod")


def _restricted(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    yield from _volume_types(pod_spec)
    if _get(pod_spec, "securityContext", "runAsNonRoot") is False:
        yield _weaker(
            "securityContext.runAsNonRoot", "runAsNonRoot is false, so the pod may run as root"
        )
    windows = _get(pod_spec, "os", "name") == "windows"
    for path, container in containers(pod_spec):
        if not windows:
            yield from _escalation(path, container)
        yield from _non_root(pod_spec, path, container)
        if not windows:
            yield from _confined(pod_spec, path, container)
            yield from _dropped(path, container)
    yield from _root_user(pod_spec)
    if not windows:
        yield from _added_capabilities(pod_spec, "baseline")


def _volume_types(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    volumes = pod_spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if not isinstance(volume, _MAPPINGS):
            continue
        for source in sorted(set(volume) - RESTRICTED_VOLUMES - {"name", "hostPath"}):
            field = f"volumes[{index}].{source}"
            yield _weaker(field, f"a {source} volume reaches beyond the pod's own storage")


def _escalation(path: str, container: Mapping[str, Any]) -> Iterator[Reason]:
    if _get(container, "securityContext", "allowPrivilegeEscalation") is not False:
        field = f"{path}.securityContext.allowPrivilegeEscalation"
        why = (
            "privilege escalation is not turned off, so a process can gain more "
            "privileges than its parent (setuid)"
        )
        yield _weaker(field, why)


def _non_root(
    pod_spec: Mapping[str, Any], path: str, container: Mapping[str, Any]
) -> Iterator[Reason]:
    own = _get(container, "securityContext", "runAsNonRoot")
    pod = _get(pod_spec, "securityContext", "runAsNonRoot")
    if (own if own is not None else pod) is not True and not (own is None and pod is False):
        field = f"{path}.securityContext.runAsNonRoot"
        yield _weaker(field, "runAsNonRoot is not true, so the container may run as root")


def _root_user(pod_spec: Mapping[str, Any]) -> Iterator[Reason]:
    for path, context in _security(pod_spec):
        if _get(context, "runAsUser") == 0:
            yield _weaker(f"{path}.runAsUser", "uid 0 is root")


def _confined(
    pod_spec: Mapping[str, Any], path: str, container: Mapping[str, Any]
) -> Iterator[Reason]:
    own = _get(container, "securityContext", "seccompProfile", "type")
    pod = _get(pod_spec, "securityContext", "seccompProfile", "type")
    kind = own if own is not None else pod
    if kind not in CONFINED_SECCOMP and kind != "Unconfined":  # Unconfined: see baseline
        field = f"{path}.securityContext.seccompProfile.type"
        yield _weaker(field, "no seccomp profile is set: set RuntimeDefault (or Localhost)")


def _dropped(path: str, container: Mapping[str, Any]) -> Iterator[Reason]:
    dropped = _get(container, "securityContext", "capabilities", "drop")
    if "ALL" not in (dropped if isinstance(dropped, list) else []):
        field = f"{path}.securityContext.capabilities.drop"
        yield _weaker(
            field,
            "the container does not drop ALL capabilities, so it keeps the runtime's defaults",
        )
