"""The pod's side of the runtime harness: run inside the sandbox, as root, by
``python3 -I -c <this file> <config json>`` (only the standard library: it runs
on the host's ``/usr/bin/python3`` through the sandbox's read-only ``/usr``).

It does what the kubelet and the container runtime do inside a pod: set the
pod's sysctls in the pod's network namespace, give the namespace its pod IP,
start the container's process under ``setpriv`` with the spec's uid, gid,
supplementary groups, capability bounding set and ``no_new_privs``, then run
the probes as the kubelet would (the startup probe first; readiness and
liveness after it) until the pod is ready or the time is up. Exec probes run
as the container's user, in the container's mounts. Prints one JSON line on
standard output: ``ready``, the seconds it took, the reason when not ready.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any

POLL = 0.25


class Unsupported(Exception):
    """A probe the harness cannot run (gRPC, HTTPS): the pod is reported not
    ready with this reason, never taken as ready."""


def main(config: dict[str, Any]) -> dict[str, Any]:
    for name, value in config["sysctls"].items():
        with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
            f.write(value)
    subprocess.run(["ip", "addr", "add", config["pod_ip"] + "/32", "dev", "lo"], check=True)
    container = config["container"]
    for line in config["before"]:  # checks of the container's view, as its user
        done = subprocess.run(_as_user(container, line), env=container["env"], stdout=sys.stderr)
        if done.returncode != 0:
            return {"ready": False, "seconds": 0, "reason": f"before-start check failed: {line}"}
    if config.get("to_completion"):  # an init container: it must exit 0
        return _complete(container, config["timeout"])
    # The container's output is a pipe owned by its user, as runc leaves it
    # (so that the process can open /dev/stdout).
    read, write = os.pipe()
    os.fchown(write, container["uid"], container["gid"])
    started = time.monotonic()
    server = subprocess.Popen(
        _as_user(container, container["argv"]),
        env=container["env"],
        cwd=container["cwd"],
        stdout=write,
        stderr=write,
        start_new_session=True,  # a session of its own, as runc starts a container's process
        preexec_fn=_killable,
    )
    os.close(write)
    copier = threading.Thread(target=_copy, args=(os.fdopen(read, "rb"),), daemon=True)
    copier.start()
    try:
        result = _watch(config, server, started)
    except Unsupported as e:
        result = {"ready": False, "seconds": 0, "reason": str(e)}
    if result["ready"] and config["after"]:
        argv = _as_user(container, config["after"])
        done = subprocess.run(argv, env=container["env"], stdout=sys.stderr)
        if done.returncode != 0:
            result = {**result, "ready": False, "reason": "the check after ready failed"}
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    copier.join(2)  # the server's last words (a daemon it started may hold the pipe)
    return result


def _complete(container: dict[str, Any], timeout: float) -> dict[str, Any]:
    started = time.monotonic()
    try:
        done = subprocess.run(
            _as_user(container, container["argv"]),
            env=container["env"],
            cwd=container["cwd"],
            stdout=sys.stderr,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"ready": False, "seconds": timeout, "reason": f"still running after {timeout} s"}
    seconds = round(time.monotonic() - started, 1)
    reason = None if done.returncode == 0 else f"exited with {done.returncode}"
    return {"ready": done.returncode == 0, "seconds": seconds, "reason": reason}


def _killable() -> None:
    """The runner shares the pod's cgroup: out of memory, the kernel kills the
    container's processes first (as a kubelet's pod, their score is raised)."""
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")


def _copy(output: Any) -> None:
    for line in output:
        sys.stderr.buffer.write(line)
        sys.stderr.buffer.flush()


def _as_user(container: dict[str, Any], argv: list[str]) -> list[str]:
    """``argv`` as the container's process: its ids, groups and capabilities."""
    caps = ",".join(["-all", *("+" + c.lower() for c in container["caps"])])
    groups = ",".join(str(g) for g in container["groups"])
    wrap = ["setpriv", f"--reuid={container['uid']}", f"--regid={container['gid']}"]
    wrap += [f"--groups={groups}"] if groups else ["--clear-groups"]
    wrap += [f"--bounding-set={caps}", "--inh-caps=-all"]
    wrap += ["--no-new-privs"] if container["no_new_privs"] else []
    return [*wrap, "--", *argv]


def _watch(
    config: dict[str, Any], server: subprocess.Popen[bytes], started: float
) -> dict[str, Any]:
    """Probe until ready: the startup probe (if any) first, within its own
    budget; then liveness within its budget, then readiness; all within the
    test's bound from the start."""
    # Without a readiness probe, a client's first step: a TCP connection.
    probes = {"readiness": {"tcpSocket": None}, **config["probes"]}
    deadline = started + config["timeout"]
    since = started
    failed = None
    for phase in ("startup", "liveness", "readiness"):
        probe = probes.get(phase)
        if probe is None:
            continue
        budget = _budget(probe) if phase != "readiness" else config["timeout"]
        failed = _until(config, server, probe, min(since + budget, deadline), deadline)
        if failed:
            break
        if phase == "startup":
            since = time.monotonic()  # liveness and readiness begin once it passes
    seconds = round(time.monotonic() - started, 1)
    return {"ready": not failed, "seconds": seconds, "reason": failed}


def _budget(probe: dict[str, Any]) -> float:
    """How long the kubelet lets a probe fail before it restarts the container."""
    return probe.get("initialDelaySeconds", 0) + probe.get("failureThreshold", 3) * probe.get(
        "periodSeconds", 10
    )


def _until(
    config: dict[str, Any],
    server: subprocess.Popen[bytes],
    probe: dict[str, Any],
    until: float,
    deadline: float,
) -> str | None:
    """``None`` once ``probe`` succeeds, else why it never did: the process
    exited, the probe's budget ran out (``until``: the kubelet would restart
    it), or the test's bound (``deadline``)."""
    budget = round(until - time.monotonic())
    while True:
        if server.poll() is not None:
            return f"the process exited with {server.returncode}"
        if _passes(config, probe):
            return None
        now = time.monotonic()
        if now > until:
            if until < deadline:
                return f"probe {_describe(probe)} still failing after {budget} s"
            return f"probe {_describe(probe)} not passing within the test's {config['timeout']} s"
        time.sleep(POLL)


def _passes(config: dict[str, Any], probe: dict[str, Any]) -> bool:
    timeout = probe.get("timeoutSeconds", 1)
    if "tcpSocket" in probe:
        port = (probe["tcpSocket"] or {}).get("port", config["ports"][0])
        try:
            socket.create_connection((config["pod_ip"], _port(config, port)), timeout).close()
        except OSError:
            return False
        return True
    if "httpGet" in probe:
        return _http(config, probe["httpGet"], timeout)
    if "exec" in probe:
        argv = _as_user(config["container"], probe["exec"]["command"])
        try:
            done = subprocess.run(
                argv, env=config["container"]["env"], timeout=timeout, capture_output=True
            )
        except subprocess.TimeoutExpired:
            return False
        return done.returncode == 0
    raise Unsupported(f"probe handler not supported by the harness: {sorted(probe)}")


def _http(config: dict[str, Any], get: dict[str, Any], timeout: float) -> bool:
    host = get.get("host", config["pod_ip"])
    if get.get("scheme", "HTTP") != "HTTP":
        raise Unsupported("HTTPS probes are not supported by the harness")
    connection = http.client.HTTPConnection(host, _port(config, get["port"]), timeout=timeout)
    headers = {h["name"]: h["value"] for h in get.get("httpHeaders", [])}
    try:
        connection.request("GET", get.get("path", "/"), headers=headers)
        status = connection.getresponse().status
    except OSError:
        return False
    finally:
        connection.close()
    return 200 <= status < 400


def _port(config: dict[str, Any], port: int | str) -> int:
    return int(config["named_ports"].get(port, port))


def _describe(probe: dict[str, Any]) -> str:
    return next(k for k in ("tcpSocket", "httpGet", "exec", "grpc") if k in probe)


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))), flush=True)
    os._exit(0)
