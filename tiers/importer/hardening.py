"""Resources, security contexts and probes of the input into the typed
fields tiers has for them (``resources=``, ``security=``, ``probes=``).

- ``resources``: requests and limits of CPU and memory. A limit without a
  request is also the request, as Kubernetes makes it; a request without a
  limit gets tiers' default limit or the request, whichever is larger, so
  the build never asks for more than it may use.
- ``security``: the pod's ``runAsUser``, ``runAsGroup``, ``fsGroup``,
  ``runAsNonRoot`` and seccomp profile, the container's
  ``allowPrivilegeEscalation``, ``readOnlyRootFilesystem`` and added
  capabilities (a container's own ``runAsUser`` or ``runAsNonRoot`` wins, as
  in Kubernetes), and the container's own ``emptyDir: {}`` mounts as
  ``writable_paths`` (the kind's own paths need none; tiers names each volume
  after its path, and the patch compares them so: see
  :mod:`tiers.importer.defaults`). Each setting that
  weakens the restricted Pod Security Standard is then a warning of the
  build, and the Namespace's labels follow the pods' level. What the input
  leaves out keeps tiers' restricted default.
- ``probes``: an ``httpGet`` (path and port only), ``tcpSocket``, ``exec`` or
  ``grpc`` probe, with its timings (one it leaves out is Kubernetes' default,
  as before); an HTTP probe with headers or a scheme has no field and stays
  a patch.
"""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Plan, Scope, dig, scalar
from tiers.model.profile import KindProfile
from tiers.model.security import Probe, Probes, Resources, Security

TIMINGS = ("initial_delay_seconds", "period_seconds", "timeout_seconds", "failure_threshold")
_KEYS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold")
KUBERNETES = (0, 10, 1, 3)
"""Kubernetes' default of each timing, which a probe that leaves it out has."""
TIERS_READINESS = (5, 10, 3, 3)
"""tiers' readiness timings (liveness: the kind's start-up time, 20, 5, 3)."""


def resources(plan: Plan, scope: Scope) -> Any:
    """The first container's CPU and memory, or ``None`` for tiers' defaults."""
    return container_resources(plan.container)


def container_resources(container: dict[str, Any]) -> Resources | None:
    """A container's CPU and memory, or ``None`` for tiers' defaults."""
    given = container.get("resources")
    requests = _quantities(dig(given, "requests"))
    limits = _quantities(dig(given, "limits"))
    if not requests and not limits:
        return None
    return Resources(
        requests.get("cpu") or limits.get("cpu"),
        requests.get("memory") or limits.get("memory"),
        cpu_limit=limits.get("cpu"),
        memory_limit=limits.get("memory"),
    )


def _quantities(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    found = {k: value.get(k) for k in ("cpu", "memory")}
    return {k: str(v) for k, v in found.items() if isinstance(scalar(v), str | int)}


def security(plan: Plan, scope: Scope) -> Any:
    """The settings of the pod's and first container's security contexts
    that :class:`~tiers.Security` has, or ``None`` when the input sets none."""
    pod = dig(plan.group.pod_template, "spec", "securityContext")
    own = plan.container.get("securityContext")
    pod = pod if isinstance(pod, dict) else {}
    own = own if isinstance(own, dict) else {}
    merged = {**pod, **own}
    found: dict[str, Any] = {}
    for key, name in (("runAsUser", "run_as_user"), ("runAsGroup", "run_as_group")):
        if _int(merged.get(key)) is not None:
            found[name] = merged[key]
    if _int(pod.get("fsGroup")) is not None:
        found["fs_group"] = pod["fsGroup"]
    for key, name, weak in (
        ("runAsNonRoot", "run_as_non_root", False),
        ("readOnlyRootFilesystem", "read_only_root_filesystem", False),
        ("allowPrivilegeEscalation", "allow_privilege_escalation", True),
    ):
        if merged.get(key) is weak:
            found[name] = weak
    added = dig(own, "capabilities", "add")
    if isinstance(added, list) and all(isinstance(c, str) for c in added) and added:
        found["add_capabilities"] = list(added)
    if dig(merged, "seccompProfile", "type") == "Unconfined":
        found["seccomp_profile"] = "Unconfined"
    writable = writable_paths(plan)
    if writable:
        found["writable_paths"] = writable
    return Security(**found) if found else None


def writable_paths(plan: Plan) -> list[str]:
    """The paths where the first container alone mounts an ``emptyDir: {}``
    (whatever its name: tiers names it after the path), but the kind's own
    (its writable paths, and its data directory without a claim)."""
    spec = dig(plan.group.pod_template, "spec")
    volumes = dig(spec, "volumes")
    empty = {
        v.get("name")
        for v in (volumes if isinstance(volumes, list) else [])
        if isinstance(v, dict) and v.get("emptyDir") == {} and set(v) == {"name", "emptyDir"}
    }
    others = [*_items(dig(spec, "initContainers")), *plan.group.containers[1:]]
    shared = {m.get("name") for c in others for m in _items(c.get("volumeMounts"))}
    mounts = _items(plan.container.get("volumeMounts"))
    names = [m.get("name") for m in mounts]
    found = []
    for mount in mounts:
        path = mount.get("mountPath")
        if not isinstance(path, str) or set(mount) != {"name", "mountPath"}:
            continue
        name = mount["name"]
        if name in empty and name not in shared and names.count(name) == 1:
            found.append(path)
    profile = plan.cls.profile
    own = [*profile.writable_paths, *([profile.storage.mount_path] if profile.storage else [])]
    return [p for p in found if p not in own]


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def probes(plan: Plan, scope: Scope) -> Any:
    """The first container's probes that a :class:`~tiers.Probe` can write."""
    return container_probes(plan.cls.profile, plan.container)


def container_probes(profile: KindProfile, container: dict[str, Any]) -> Probes | None:
    """A container's probes that a :class:`~tiers.Probe` can write."""
    found: dict[str, Probe] = {}
    for key, name in (("readinessProbe", "readiness"), ("livenessProbe", "liveness")):
        probe = _probe(profile, container, container.get(key), name)
        if probe is not None:
            found[name] = probe
    return Probes(**found) if found else None  # type: ignore[arg-type]


def _probe(profile: KindProfile, container: dict[str, Any], given: Any, which: str) -> Probe | None:
    if not isinstance(given, dict):
        return None
    http, tcp = given.get("httpGet"), given.get("tcpSocket")
    handlers = {"httpGet", "tcpSocket", "exec", "grpc"} & set(given)
    if len(handlers) != 1 or set(given) - {*handlers, *_KEYS}:
        return None
    timings = _timings(profile, given, which)
    if (
        isinstance(http, dict)
        and set(http) <= {"path", "port"}
        and isinstance(http.get("path"), str)
    ):
        port = _port(container, http.get("port"))
        return Probe(http["path"], port=port, **timings)
    if isinstance(tcp, dict) and set(tcp) == {"port"}:
        tcp_only = profile.probe != "tcp"  # else the kind's own handler
        return Probe(tcp=tcp_only, port=_port(container, tcp.get("port")), **timings)
    command = dig(given, "exec", "command")
    if set(given.get("exec") or {}) == {"command"} and _strings(command):
        return Probe(command=list(command), **timings)
    grpc = given.get("grpc")
    if isinstance(grpc, dict) and set(grpc) <= {"port", "service"} and "port" in grpc:
        service = grpc.get("service") if isinstance(grpc.get("service"), str) else None
        return Probe(
            grpc=True, grpc_service=service, port=_port(container, grpc["port"]), **timings
        )
    return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _timings(profile: KindProfile, given: dict[str, Any], which: str) -> dict[str, Any]:
    """The probe's timings; one it leaves out is Kubernetes' default, written
    where tiers' default for that probe differs (so the probe means the same)."""
    ours = TIERS_READINESS if which == "readiness" else (profile.startup_seconds, 20, 5, 3)
    found: dict[str, Any] = {}
    for name, key, kubernetes, tiers in zip(TIMINGS, _KEYS, KUBERNETES, ours, strict=True):
        value = _int(given.get(key))
        value = kubernetes if value is None else value
        found[name] = None if value == tiers else value
    return found


def _port(container: dict[str, Any], port: Any) -> int | str | None:
    """``None`` for the first container port's number (tiers' default), else as given."""
    ports = container.get("ports")
    first = ports[0] if isinstance(ports, list) and ports and isinstance(ports[0], dict) else {}
    if isinstance(port, int) and port == first.get("containerPort"):
        return None
    return scalar(port)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
