"""kill -9 at random points of ``tiers build -o DIR``, then the next command,
then a check that DIR is wholly the old build or wholly the new one, with no
staging left. Used by ``tests/test_output_crash.py`` (a few kills on a few
hundred files) and run by hand at full size::

    python -m tests.crash --copies 2000 --kills 50     # about 6,000 files

Two versions of one app take turns: every file differs between them (the image
tag), the second has one copy fewer (its files are stale: removed) and one
tier more (a new file), so that each build rewrites, adds and removes files.
Half the kills are aimed at the commit (sent after the journal appears, within
the time the moves take), half fall anywhere in the build.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

APP = """
import os

from tiers import App, Backend, Frontend, MySQL, NotSecret

VERSION = os.environ["CRASH_VERSION"]
COPIES = int(os.environ["CRASH_COPIES"]) - (VERSION == "b")

app = App("crash", namespace="crash")
for copy in range(COPIES):
    mysql = app.add(MySQL(f"mysql-{copy}", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    backend = app.add(
        Backend(f"backend-{copy}", image=f"api:{VERSION}", env={"DB_HOST": mysql.host})
    )
    app.add(Frontend(f"frontend-{copy}", image=f"web:{VERSION}", env={"API": backend.url()}))
if VERSION == "b":
    app.add(Backend("only-in-b", image="api:b"))
"""

Contents = dict[str, bytes]
STAGING = ".tiers-staging"


def write_app(directory: Path) -> Path:
    app = directory / "app.py"
    app.write_text(APP, encoding="utf-8")
    return app


CHECKOUT = [ROOT]
"""The checkout of tiers that runs (``--tiers`` chooses another, to compare)."""


def environment(version: str, copies: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(CHECKOUT[0]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "CRASH_VERSION": version,
        "CRASH_COPIES": str(copies),
    }


def run(args: list[str], cwd: Path, version: str, copies: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiers", *args],
        cwd=cwd,
        env=environment(version, copies),
        capture_output=True,
        text=True,
        check=False,
    )


def contents(directory: Path) -> Contents:
    """Every file below ``directory`` (the staging directory aside) and its bytes."""
    found: Contents = {}
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d != STAGING]
        for name in files:
            path = Path(root) / name
            found[path.relative_to(directory).as_posix()] = path.read_bytes()
    return found


def leftovers(directory: Path) -> list[str]:
    """Staging directories: tiers' own in DIR, and any beside it."""
    inside = [STAGING] if (directory / STAGING).exists() else []
    beside = [
        p.name for p in directory.parent.iterdir() if p.name.startswith(f".{directory.name}.")
    ]
    return inside + beside


@dataclass
class Tally:
    """What the kills found: how DIR was left, and what the next command did."""

    kills: int = 0
    old: int = 0
    new: int = 0
    mixed: int = 0
    staging_left: int = 0
    finished_by_next: int = 0
    completed_before_kill: int = 0
    files: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.kills} kills on {self.files} files: mixed {self.mixed}, staging left "
            f"{self.staging_left}; DIR old {self.old}, new {self.new}; the next command "
            f"finished {self.finished_by_next} interrupted commit(s); "
            f"{self.completed_before_kill} build(s) ended before the kill"
        )


@dataclass
class Loop:
    """Two versions of the app in ``work``; DIR is ``work/deploy``."""

    work: Path
    copies: int
    rng: random.Random
    expected: dict[str, Contents] = field(default_factory=dict)
    commit_time: float = 0.05
    build_time: float = 1.0

    def prepare(self) -> None:
        """Build each version once into a directory of its own, for reference,
        and time the build and its commit; DIR starts as version a."""
        write_app(self.work)
        for version in ("b", "a"):
            out = self.work / f"expected-{version}"
            started = time.monotonic()
            done = run(["build", "app.py", "-o", out.name], self.work, version, self.copies)
            assert done.returncode == 0, done.stderr
            self.build_time = time.monotonic() - started
            self.expected[version] = contents(out)
        self.commit_time = self._time_commit()
        out = self.work / "deploy"
        done = run(["build", "app.py", "-o", "deploy"], self.work, "a", self.copies)
        assert done.returncode == 0, done.stderr
        assert contents(out) == self.expected["a"]

    def _time_commit(self) -> float:
        """How long the journal of a build of b over a stays: the moves."""
        out = self.work / "timing"
        assert run(["build", "app.py", "-o", "timing"], self.work, "a", self.copies).returncode == 0
        process = self._start("b", "timing")
        _wait_for(out / STAGING / "commit", process)
        started = time.monotonic()
        while process.poll() is None and (out / STAGING / "commit").exists():
            time.sleep(0.0002)
        window = time.monotonic() - started
        process.wait()
        return max(window, 0.001)

    def _start(self, version: str, out: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "tiers", "build", "app.py", "-o", out],
            cwd=self.work,
            env=environment(version, self.copies),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_once(self, index: int, current: str, tally: Tally) -> str:
        """Build the other version, kill it, run the next command, check DIR;
        returns the version DIR holds afterwards."""
        nxt = "b" if current == "a" else "a"
        out = self.work / "deploy"
        process = self._start(nxt, "deploy")
        if index % 2 == 0:  # aimed at the commit
            _wait_for(out / STAGING / "commit", process)
            time.sleep(self.rng.uniform(0, self.commit_time))
        else:
            time.sleep(self.rng.uniform(0, self.build_time))
        if process.poll() is not None:
            tally.completed_before_kill += 1
        process.send_signal(signal.SIGKILL)
        process.wait()
        tally.kills += 1
        return self._next_command(index, current, nxt, tally)

    def _next_command(self, index: int, current: str, nxt: str, tally: Tally) -> str:
        out = self.work / "deploy"
        if index % 4 < 2:  # tiers diff of the version that was being built
            done = run(["diff", "app.py", "deploy"], self.work, nxt, self.copies)
        else:  # tiers build of an invalid app: it recovers DIR, then writes nothing
            done = run(["build", "broken.py", "-o", "deploy"], self.work, nxt, self.copies)
        if "finished the interrupted commit" in done.stderr:
            tally.finished_by_next += 1
        if "Traceback" in done.stderr:
            tally.notes.append(f"kill {index}: {done.stderr[-500:]}")
        return self._check(out, current, nxt, tally)

    def _check(self, out: Path, current: str, nxt: str, tally: Tally) -> str:
        if leftovers(out):
            tally.staging_left += 1
            tally.notes.append(f"kill {tally.kills}: staging left: {leftovers(out)}")
        found = contents(out)
        if found == self.expected[nxt]:
            tally.new += 1
            return nxt
        if found == self.expected[current]:
            tally.old += 1
            return current
        tally.mixed += 1
        old, new = self.expected[current], self.expected[nxt]
        mixed = sum(1 for k, v in found.items() if old.get(k) == v and new.get(k) != v)
        missing = len(set(new) - set(found))
        tally.notes.append(f"kill {tally.kills}: mixed ({mixed} old files, {missing} missing)")
        run(["build", "app.py", "-o", "deploy"], self.work, current, self.copies)
        return current


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    while process.poll() is None and not path.exists():
        time.sleep(0.0002)


def kill_loop(work: Path, copies: int, kills: int, seed: int = 0) -> Tally:
    """``kills`` kills of builds of ``copies`` copies in ``work``."""
    (work / "broken.py").write_text(
        "from tiers import App, Tier\napp = App('crash')\napp.add(Tier('x', image=3))\n"
    )
    loop = Loop(work, copies, random.Random(seed))
    loop.prepare()
    tally = Tally(files=len(loop.expected["a"]))
    current = "a"
    for index in range(kills):
        current = loop.kill_once(index, current, tally)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--tiers", type=Path, default=ROOT, help="the checkout to run")
    options = parser.parse_args()
    if not (options.tiers / "tiers" / "__init__.py").is_file():
        parser.error(f"{options.tiers} is not a checkout of tiers")
    CHECKOUT[0] = options.tiers.resolve()
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        work = options.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        tally = kill_loop(work, options.copies, options.kills, options.seed)
    for note in tally.notes:
        print(note)
    print(tally.line())
    sys.exit(1 if tally.mixed or tally.staging_left else 0)


if __name__ == "__main__":
    main()
