"""The container's CPU and memory limits, applied as the kubelet applies them:
a cgroup per pod with the memory limit (exceeding it is an OOM kill) and the
CPU limit as a CFS quota (``500m``: 50 ms of each 100 ms).

cgroup v1 (``/sys/fs/cgroup/memory`` and ``/sys/fs/cgroup/cpu``, as here) or
v2 (a cgroup beside the others at ``/sys/fs/cgroup``, the root being exempt
from v2's rule that a cgroup with processes has no children with
controllers). Either needs root; without a cgroup to write, the harness
fails and says so rather than start a pod without its limits.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PERIOD = 100_000
_names = itertools.count()

UNITS = {"": 1, "k": 1000, "M": 1000**2, "G": 1000**3, "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}


def memory_bytes(quantity: str) -> int:
    """A Kubernetes memory quantity in bytes: ``512Mi`` is 536870912."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kMG]i?|)", quantity)
    assert match, f"memory quantity not understood by the harness: {quantity!r}"
    return int(float(match.group(1)) * UNITS[match.group(2)])


def cpu_quota(quantity: str) -> int:
    """A CPU quantity as microseconds of each 100 ms period: ``250m`` is 25000."""
    millis = int(quantity[:-1]) if quantity.endswith("m") else int(float(quantity) * 1000)
    return max(1000, millis * PERIOD // 1000)


@contextmanager
def cgroup(limits: dict[str, str]) -> Iterator[list[str]]:
    """The ``cgroup.procs`` files a pod's first process joins (its children
    follow), with ``limits`` (``cpu``, ``memory``) set; removed afterwards."""
    name = f"tiers-runtime-{os.getpid()}-{next(_names)}"
    if (ROOT / "memory" / "memory.limit_in_bytes").exists():
        made = _v1(name, limits)
    elif (ROOT / "cgroup.controllers").exists():
        made = _v2(name, limits)
    else:
        raise AssertionError(f"no cgroup under {ROOT} to apply the pod's limits (run as root)")
    try:
        yield [str(d / "cgroup.procs") for d in made]
    finally:
        for directory in made:
            _remove(directory)


def _v1(name: str, limits: dict[str, str]) -> list[Path]:
    memory = ROOT / "memory" / name
    memory.mkdir()
    made = [memory]
    if "memory" in limits:
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes(limits["memory"])))
        (memory / "memory.swappiness").write_text("0")
    if "cpu" in limits and (ROOT / "cpu" / "cpu.cfs_quota_us").exists():
        cpu = ROOT / "cpu" / name
        cpu.mkdir()
        made.append(cpu)
        (cpu / "cpu.cfs_period_us").write_text(str(PERIOD))
        (cpu / "cpu.cfs_quota_us").write_text(str(cpu_quota(limits["cpu"])))
    return made


def _v2(name: str, limits: dict[str, str]) -> list[Path]:
    group = ROOT / name
    group.mkdir()
    if "memory" in limits:
        (group / "memory.max").write_text(str(memory_bytes(limits["memory"])))
        (group / "memory.swap.max").write_text("0")
    if "cpu" in limits:
        (group / "cpu.max").write_text(f"{cpu_quota(limits['cpu'])} {PERIOD}")
    return [group]


def _remove(directory: Path) -> None:
    """Remove the cgroup once its processes are gone (the pod's pid namespace
    is torn down with its first process, its last ones a moment later)."""
    for _ in range(50):
        try:
            directory.rmdir()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"cgroup {directory} still has processes")


def join_command(procs: list[str]) -> list[str]:
    """A prefix that puts the process into ``procs`` before it execs the rest."""
    script = "".join(f'echo $$ > "{p}" && ' for p in procs) + 'exec "$@"'
    return ["sh", "-c", script, "sh"]
