"""Start a pod that ``tiers build`` wrote, with the real server software from
Debian's packages, under exactly the pod's security context, and run its
probes until it is ready.

How the pod is reproduced, as root, without a cluster:

- **Namespaces**: ``bwrap --unshare-net --unshare-pid --unshare-ipc
  --unshare-uts``: the pod's own network (its loopback, plus the pod IP
  ``10.244.0.5`` added to it, which is what the probes connect to: a server
  listening only on 127.0.0.1 fails here as it would in a cluster), its own
  pids, and its hostname. Each pod has its own ports, so pods run in parallel.
- **Root filesystem**: a tmpfs holding read-only binds of the host's ``/usr``
  (and ``/bin``, ``/sbin``, ``/lib*`` as merged-usr symlinks), ``/etc``, the
  host paths and files the test says the image ships (:class:`Image`), an
  ``/etc/hosts`` naming the app's Services (the kubelet manages that file; it
  stands in for cluster DNS), then each volume mount writable at its path
  (:mod:`tests.runtime.sandbox`), then ``--remount-ro /``.
- **User and capabilities**: bwrap runs as root without a user namespace
  (``--uid``/``--gid`` would need one, and root needs none); the in-sandbox
  runner (:mod:`tests.runtime.runner`) starts the container's process with
  ``setpriv --reuid --regid --groups`` (``runAsUser``, ``runAsGroup``,
  ``fsGroup`` and ``supplementalGroups``), the capability bounding set
  reduced to the spec's ``add`` (all dropped for ``drop: [ALL]``), nothing
  inheritable or ambient, and ``--no-new-privs`` for
  ``allowPrivilegeEscalation: false``: a non-root process ends with no
  effective capability, as under containerd.
- **Sysctls**: the pod's ``securityContext.sysctls`` are written in the pod's
  network namespace before the container starts, as the runtime does.
- **Env**: the spec's ``env`` and ``envFrom``, ``secretKeyRef`` resolved from
  the Secrets the test gives; Secret and ConfigMap volumes are files.
- **Probes**: the startup probe within its budget (``initialDelaySeconds +
  failureThreshold * periodSeconds``), then liveness within its budget (a
  process that would be restarted is not ready), then readiness within the
  test's bound; TCP and HTTP to the pod IP, exec as the container's user.
  Probes are tried every 0.25 s rather than every ``periodSeconds``, so that
  the time measured is when the server became ready.
- **Limits**: the container's CPU and memory limits on a cgroup of the pod's
  own (:mod:`tests.runtime.limits`); the in-sandbox runner shares it (a few MB).

One container per pod is started (the one named, else the first), after
the pod's init containers of the same image (tiers' copies of an image's
files, RabbitMQ's settings), each run to completion in the same volumes:
sidecars and init containers of other images are not. gRPC and HTTPS
probes are not run (no client in the standard library): a pod with one is
reported not ready, with the reason.

- **Seccomp**: ``RuntimeDefault`` is the container runtime's default profile
  (:mod:`tests.runtime.seccomp`), compiled for the container's capabilities and
  applied by ``bwrap --seccomp`` to everything in the sandbox (the runner's
  set-up too, which needs only calls the profile allows).

Not reproduced: the image's own files beyond what :class:`Image` lists
(Debian's packages stand in for them).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.runtime import limits, seccomp
from tests.runtime import pods as podlib
from tests.runtime.pods import Pod, Sources
from tests.runtime.sandbox import SYMLINKS, Prepared, resolve, root_args, volumes

Doc = dict[str, Any]

POD_IP = "10.244.0.5"
RUNNER = (Path(__file__).parent / "runner.py").read_text()
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def tools_missing() -> list[str]:
    """The programs the harness runs that are not installed."""
    found = [t for t in ("bwrap", "setpriv", "ip") if shutil.which(t) is None]
    return found + [m for m in [seccomp.missing()] if m is not None]


@dataclass(frozen=True)
class Image:
    """What an official image gives the container, stood in for by the host's
    Debian packages: its ENTRYPOINT and CMD as Debian's build is started, the
    files it ships that Debian puts elsewhere or not at all (written by the
    test, read-only in the root), host paths it ships beyond ``/usr`` and
    ``/etc``, its ENV and WORKDIR, empty directories and symlinks of its root."""

    entrypoint: tuple[str, ...]
    cmd: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    host_paths: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    dirs: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    """Symlinks of the image (path: target), such as its log files to its output."""
    runs_init: bool = True
    """Whether the pod's init containers of this image run on the stand-in
    (False for the app's own code: its programs are not here)."""


@dataclass(frozen=True)
class Launch:
    """One pod to start: the pod, the stand-in for its container's image, the
    Secrets the cluster would hold, and checks run as the container's user
    before it starts (``before``) and once it is ready (``after``)."""

    pod: Pod
    image: Image
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    config_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()
    container: str | None = None
    timeout: float = 60
    before: tuple[tuple[str, ...], ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """Whether the pod became ready, how long it took, why not, and what the
    server wrote."""

    ready: bool
    seconds: float
    reason: str | None
    log: str

    def __str__(self) -> str:
        state = "ready" if self.ready else f"not ready: {self.reason}"
        return f"{state} after {self.seconds} s\n--- server output ---\n{self.log[-4000:]}"


def start(launch: Launch, base: Path) -> Outcome:
    """Run ``launch``'s init containers of its image to completion, then
    start its container in a sandbox under ``base`` and probe it."""
    base.mkdir(parents=True, exist_ok=True)
    container = launch.pod.container(launch.container)
    sources = Sources(launch.secrets, launch.config_maps)
    prepared: Prepared = {}
    for init in init_containers(launch.pod, container) if launch.image.runs_init else []:
        mounts = volumes(launch.pod, init, sources, base / "volumes", prepared)
        config = {**_config(launch, init, sources), "to_completion": True}
        outcome = _run(launch, base, mounts, config, init)
        if not outcome.ready:
            reason = f"init container {init['name']!r}: {outcome.reason}"
            return Outcome(False, 0, reason, outcome.log)
    mounts = volumes(launch.pod, container, sources, base / "volumes", prepared)
    return _run(launch, base, mounts, _config(launch, container, sources), container)


def _seccomp(
    pod: Pod, container: Doc, config: Doc, base: Path, stack: contextlib.ExitStack[Any]
) -> tuple[int, ...]:
    """The file descriptor of the container's seccomp filter for bwrap: the
    runtime's default profile for ``RuntimeDefault`` (the container's own
    ``seccompProfile`` wins over the pod's), none for ``Unconfined`` or none set."""
    own = container.get("securityContext", {}).get("seccompProfile")
    profile = own or pod.spec.get("securityContext", {}).get("seccompProfile") or {}
    kind = profile.get("type", "Unconfined")
    assert kind in ("RuntimeDefault", "Unconfined"), f"the harness cannot apply {profile}"
    if kind == "Unconfined":
        return ()
    program = seccomp.compile_filter(config["container"]["caps"], base / f"{container['name']}.bpf")
    return (stack.enter_context(program.open("rb")).fileno(),)


def init_containers(pod: Pod, container: Doc) -> list[Doc]:
    """The pod's init containers that run to completion and run the
    container's own image (its stand-in is the launch's): in order."""
    found = pod.spec.get("initContainers", [])
    return [
        c for c in found if c.get("restartPolicy") != "Always" and c["image"] == container["image"]
    ]


def _run(launch: Launch, base: Path, mounts: list[Any], config: Doc, container: Doc) -> Outcome:
    args = _bwrap(launch, base, mounts)
    log = base / f"{container['name']}.log"
    runner = ["/usr/bin/python3", "-I", "-c", RUNNER, json.dumps(config)]
    resources = container.get("resources", {}).get("limits", {})
    with contextlib.ExitStack() as stack:
        fds = _seccomp(launch.pod, container, config, base, stack)
        args += [arg for fd in fds for arg in ("--seccomp", str(fd))]
        stderr = stack.enter_context(log.open("w"))
        procs = stack.enter_context(limits.cgroup(resources))
        done = subprocess.run(
            [*limits.join_command(procs), *args, "--", *runner],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            timeout=launch.timeout + 180,
            check=False,
            pass_fds=fds,
        )
    text = log.read_text(errors="replace")
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return Outcome(False, 0, f"the sandbox failed ({done.returncode})", text)
    result = json.loads(lines[-1])
    return Outcome(result["ready"], result["seconds"], result["reason"], text)


def start_all(launches: dict[str, Launch], base: Path, workers: int = 4) -> dict[str, Outcome]:
    """:func:`start` each launch, several at once (each pod has its own network)."""
    with ThreadPoolExecutor(workers) as pool:
        futures = {
            name: pool.submit(start, launch, base / name) for name, launch in launches.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _config(launch: Launch, container: Doc, sources: Sources) -> Doc:
    spec = launch.pod.spec
    pod_ctx = spec.get("securityContext", {})
    ctx = {**pod_ctx, **container.get("securityContext", {})}
    env = {"PATH": PATH, "HOSTNAME": launch.pod.name + "-0", "HOME": "/", **launch.image.env}
    env.update(podlib.env(launch.pod, container, sources, POD_IP))
    uid = ctx.get("runAsUser", 0)
    groups = [
        g for g in [pod_ctx.get("fsGroup"), *pod_ctx.get("supplementalGroups", [])] if g is not None
    ]
    caps = ctx.get("capabilities", {})
    added = caps.get("add", [])
    argv = _argv(container, launch.image, env)
    return {
        "sysctls": {s["name"]: s["value"] for s in pod_ctx.get("sysctls", [])},
        "pod_ip": POD_IP,
        "ports": [p["containerPort"] for p in container.get("ports", [])],
        "named_ports": podlib.named_ports(container),
        "probes": podlib.probes(container),
        "timeout": launch.timeout,
        "before": [list(b) for b in launch.before],
        "after": list(launch.after),
        "container": {
            "argv": argv,
            "env": env,
            "cwd": container.get("workingDir", launch.image.workdir),
            "uid": uid,
            "gid": ctx.get("runAsGroup", 0),
            "groups": groups,
            "caps": added if "ALL" in caps.get("drop", []) or uid != 0 else [*RUNTIME_CAPS, *added],
            "no_new_privs": ctx.get("allowPrivilegeEscalation", True) is False,
        },
    }


RUNTIME_CAPS = (
    *("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID"),
    *("SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"),
)
"""containerd's default capabilities, which a container keeps unless it drops them."""


def _argv(container: Doc, image: Image, env: dict[str, str]) -> list[str]:
    """The process Kubernetes starts: ``command`` replaces the ENTRYPOINT and
    ``args`` the CMD, each with ``$(VAR)`` expanded."""
    command = container.get("command", list(image.entrypoint))
    args = container.get("args", list(image.cmd) if "command" not in container else [])
    return [podlib.expand(a, env) for a in [*command, *args]]


def _bwrap(launch: Launch, base: Path, mounts: list[Any]) -> list[str]:
    image = launch.image
    files = base / "image"
    file_args: list[str] = []
    for path, content in sorted(image.files.items()):
        local = files / path.lstrip("/")
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(content)
        local.chmod(0o755 if content.startswith("#!") else 0o644)
        file_args += ["--ro-bind", str(local), resolve(path)]
    hosts = base / "hosts"
    names = " ".join(launch.hosts)
    hosts.write_text(f"127.0.0.1 localhost\n{POD_IP} {launch.pod.name}-0\n10.96.0.10 {names}\n")
    targets = [m.target for m in mounts] + [resolve(p) for p in [*image.files, *image.links]]
    targets += image.dirs
    # --new-session: a pod's processes share no process group with another's
    # (Apache, stopping, signals its whole group).
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid"]
    args += ["--unshare-ipc"]
    args += ["--unshare-uts", "--hostname", f"{launch.pod.name}-0"]
    for link in ("bin", "sbin", "lib", "lib64"):
        args += ["--symlink", f"usr/{link}", f"/{link}"]
    skeleton = {"/var": 0o755, "/run": 0o755, "/run/lock": 0o1777, "/var/tmp": 0o1777}
    skeleton.update({d: 0o755 for d in image.dirs})
    args += root_args(["/usr", "/etc", *image.host_paths], targets, skeleton)
    for link, target in [*SYMLINKS.items(), *image.links.items()]:
        args += ["--symlink", target, link]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm"]
    args += ["--ro-bind", str(hosts), "/etc/hosts", *file_args]
    for mount in sorted(mounts, key=lambda m: m.target.count("/")):
        args += ["--ro-bind" if mount.read_only else "--bind", str(mount.source), mount.target]
    return [*args, "--remount-ro", "/"]
