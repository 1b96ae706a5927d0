"""The ``RuntimeDefault`` seccomp profile, applied to the pod's processes as
the container runtime applies it.

``seccomp_default.json`` is the container runtime's default profile as
moby/profiles publishes it (``seccomp/default.json`` at commit
``3c28324314729dbade8287e868eef6338c42807a``, 2026-05-06, Apache License 2.0;
containerd's ``RuntimeDefault`` is generated from the same list): every
system call not listed fails with ``EPERM``, and the rules that depend on a
capability apply when the container's bounding set holds it, as the runtime
decides from the container's spec. It is compiled to BPF with libseccomp
(Debian's ``python3-seccomp``, run by the host's ``/usr/bin/python3``, which
has it) for the host's architecture, and handed to ``bwrap --seccomp``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

PROFILE = Path(__file__).with_name("seccomp_default.json")
PYTHON = "/usr/bin/python3"

COMPILER = r"""
import json, os, platform, sys
import seccomp

profile, caps, out = json.load(open(sys.argv[1])), set(json.loads(sys.argv[2])), sys.argv[3]
ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
OPS = {"SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT,
       "SCMP_CMP_LE": seccomp.LE, "SCMP_CMP_GT": seccomp.GT, "SCMP_CMP_GE": seccomp.GE,
       "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ}
KERNEL = tuple(int(x) for x in platform.release().split("-")[0].split(".")[:2])


def action(rule):
    if rule["action"] == "SCMP_ACT_ALLOW":
        return seccomp.ALLOW
    assert rule["action"] == "SCMP_ACT_ERRNO", rule
    return seccomp.ERRNO(rule.get("errnoRet", profile.get("defaultErrnoRet", 1)))


def applies(rule):
    inc, exc = rule.get("includes", {}), rule.get("excludes", {})
    if "arches" in inc and ARCH not in inc["arches"]:
        return False
    if ARCH in exc.get("arches", []):
        return False
    if not set(inc.get("caps", [])) <= caps or set(exc.get("caps", [])) & caps:
        return False
    minimum = inc.get("minKernel")
    return minimum is None or KERNEL >= tuple(int(x) for x in minimum.split("."))


assert profile["defaultAction"] == "SCMP_ACT_ERRNO"
f = seccomp.SyscallFilter(seccomp.ERRNO(profile.get("defaultErrnoRet", 1)))
for rule in profile["syscalls"]:
    if not applies(rule):
        continue
    args = [seccomp.Arg(a["index"], OPS[a["op"]], a["value"], a.get("valueTwo", 0))
            for a in rule.get("args", [])]
    for name in rule["names"]:
        try:
            f.add_rule(action(rule), name, *args)
        except (ValueError, RuntimeError):  # not a system call of this architecture
            pass
with open(out, "wb") as sink:
    f.export_bpf(sink)
"""


def missing() -> str | None:
    """Why the profile cannot be compiled here, or ``None``."""
    done = subprocess.run([PYTHON, "-c", "import seccomp"], capture_output=True, check=False)
    return None if done.returncode == 0 else "python3-seccomp (run scripts/setup-tools)"


def compile_filter(capabilities: list[str], out: Path) -> Path:
    """The BPF program of the profile for a container whose bounding set is
    ``capabilities`` (``NET_BIND_SERVICE``, without ``CAP_``), written to ``out``."""
    caps = json.dumps(sorted(f"CAP_{c}" for c in capabilities))
    subprocess.run([PYTHON, "-I", "-c", COMPILER, str(PROFILE), caps, str(out)], check=True)
    return out
