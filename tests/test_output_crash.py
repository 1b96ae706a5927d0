"""A build stopped at any instant, kill -9 included, leaves DIR wholly old or
wholly new once the next command (``tiers build`` or ``tiers diff``) has run,
and no staging directory behind.

Two ways: the process is made to die (``os._exit``, as abruptly as kill -9)
at each call, one after the other, of every ``rename``, ``unlink``,
``rmdir`` and ``mkdir`` of a build, so that every step of the commit and of
its clean-up is an interruption point; and real kill -9 at random instants of
builds of a few hundred files (``tests/crash.py``, which also runs the full
50-kill loop by hand).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crash import STAGING, Tally, contents, environment, kill_loop, leftovers

APP = """
import os
from tiers import App, Tier

v = os.environ["CRASH_VERSION"]
app = App("shop")
app.add(Tier("aa", image=f"api:{v}", ports=[8080]))
app.add(Tier("bb" if v == "a" else "cc", image="api:1", ports=[8080]))
app.add(Tier("zz", image=f"web:{v}", ports=[8080]))
"""

# Count calls of the file-system operations that move, make and remove, and
# die (exit code 137, no clean-up, like kill -9) at call CRASH_AT; with
# FAIL_AT, that call raises EIO instead, so that the commit is undone.
DRIVER = """
import errno, os, sys
crash, fail = int(os.environ.get("CRASH_AT", "0")), int(os.environ.get("FAIL_AT", "0"))
calls = [0]
def counted(function):
    def call(*args, **kwargs):
        calls[0] += 1
        if calls[0] == crash:
            os._exit(137)
        if calls[0] == fail:
            raise OSError(errno.EIO, "Input/output error")
        return function(*args, **kwargs)
    return call
def armed():
    for name in ("rename", "unlink", "rmdir", "mkdir"):
        setattr(os, name, counted(getattr(os, name)))
import tiers.output.outdir, tiers.output.write
original = tiers.output.write._write
def write(*args, **kwargs):
    armed()
    try:
        return original(*args, **kwargs)
    finally:
        open(os.environ["CALLS"], "w").write(str(calls[0]))
tiers.output.write._write = write
if os.environ.get("ARM_RECOVERY"):  # count the moves of the recovery instead
    original_recover = tiers.output.outdir.recover
    def recover(*args, **kwargs):
        armed()
        return original_recover(*args, **kwargs)
    tiers.output.outdir.recover = recover
from tiers.cli import main
main(sys.argv[1:], prog_name="tiers")
"""


def tiers(work: Path, version: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        cwd=work,
        env={**environment(version, 0), "CALLS": str(work / "calls"), **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "broken.py").write_text(
        "from tiers import App, Tier\napp = App('shop')\napp.add(Tier('x', image=3))\n"
    )
    for version in ("a", "b"):
        done = tiers(tmp_path, version, "build", "app.py", "-o", f"expected-{version}")
        assert done.returncode == 0, done.stderr
    return tmp_path


def _calls(work: Path, layout: str) -> int:
    """How many counted calls a build of b over a makes."""
    assert tiers(work, "a", "build", "app.py", "-o", "count", "--layout", layout).returncode == 0
    done = tiers(work, "b", "build", "app.py", "-o", "count", "--layout", layout)
    assert done.returncode == 0, done.stderr
    return int((work / "calls").read_text())


def _reference(work: Path, layout: str) -> dict[str, dict[str, bytes]]:
    found = {}
    for version in ("a", "b"):
        out = f"ref-{layout}-{version}"
        assert (
            tiers(work, version, "build", "app.py", "-o", out, "--layout", layout).returncode == 0
        )
        found[version] = contents(work / out)
    return found


def test_a_build_that_dies_at_any_step_is_finished_or_undone_by_the_next(work: Path) -> None:
    layout = "resource"  # files in directories of their own: mkdir and rmdir steps too
    expected = _reference(work, layout)
    total = _calls(work, layout)
    assert total >= 12, total  # renames in and aside, the stale file, mkdir, clean-up
    seen = set()
    for crash in range(1, total + 1):
        out = work / f"deploy-{crash}"
        assert (
            tiers(work, "a", "build", "app.py", "-o", out.name, "--layout", layout).returncode == 0
        )
        died = tiers(work, "b", "build", "app.py", "-o", out.name, CRASH_AT=str(crash))
        assert died.returncode == 137, died.stderr
        following = (
            ("diff", "app.py", out.name) if crash % 2 else ("build", "broken.py", "-o", out.name)
        )
        after = tiers(work, "b", *following)
        assert "Traceback" not in after.stderr, after.stderr
        assert leftovers(out) == [], (crash, after.stderr)
        found = contents(out)
        assert found in (expected["a"], expected["b"]), f"mixed after a crash at call {crash}"
        seen.add("new" if found == expected["b"] else "old")
        if crash % 2:
            assert after.returncode == (0 if found == expected["b"] else 1), after.stderr
    assert seen == {"old", "new"}


def test_a_commit_undone_and_then_interrupted_is_undone_by_the_next(work: Path) -> None:
    expected = _reference(work, "resource")
    total = _calls(work, "resource")
    outcomes = set()
    for fail in (4, 6):  # a move into place fails: the commit is being undone
        for crash in range(fail + 1, fail + 6):
            out = work / f"deploy-{fail}-{crash}"
            shutil.copytree(work / "ref-resource-a", out)
            died = tiers(
                work, "b", "build", "app.py", "-o", out.name, FAIL_AT=str(fail), CRASH_AT=str(crash)
            )
            assert died.returncode in (2, 137), died.stderr
            after = tiers(work, "b", "diff", "app.py", out.name)
            assert leftovers(out) == []
            found = contents(out)
            assert found in (expected["a"], expected["b"]), (fail, crash, after.stderr)
            outcomes.add(after.stderr.partition(" the interrupted")[0])
    assert total > 6
    assert "tiers: rolled back" in outcomes


def test_staging_of_a_build_killed_while_rendering_is_removed(work: Path) -> None:
    out = work / "deploy"
    assert tiers(work, "a", "build", "app.py", "-o", "deploy").returncode == 0
    before = contents(out)
    (out / STAGING / "new").mkdir(parents=True)
    (out / STAGING / "tiers").write_text("tiers\n")
    (out / STAGING / "new" / "0").write_text("half a file")
    after = tiers(work, "b", "diff", "app.py", "deploy")
    assert "removed the staging of an interrupted build of deploy" in after.stderr
    assert leftovers(out) == [] and contents(out) == before


def test_kill_9_at_random_instants_never_leaves_dir_mixed(tmp_path: Path) -> None:
    tally = kill_loop(tmp_path, copies=100, kills=10, seed=7)
    assert tally.kills == 10 and tally.files == 302
    assert (tally.mixed, tally.staging_left) == (0, 0), tally.notes
    assert tally.old + tally.new == 10
    assert "Traceback" not in "".join(tally.notes)


def test_the_loop_tells_a_mixed_directory(tmp_path: Path) -> None:
    """The check of the loop can fail: a DIR of old and new files is mixed."""
    from tests.crash import Loop

    loop = Loop(tmp_path, 1, random.Random(0))
    loop.expected = {"a": {"x": b"1", "y": b"1"}, "b": {"x": b"2", "y": b"2"}}
    out = tmp_path / "deploy"
    out.mkdir()
    (out / "x").write_bytes(b"1")
    (out / "y").write_bytes(b"2")
    (tmp_path / "app.py").write_text("")
    tally = Tally()
    loop._check(out, "a", "b", tally)
    assert tally.mixed == 1
    (out / STAGING).mkdir()
    loop._check(out, "a", "b", tally)
    assert tally.staging_left == 1


def test_the_driver_counts_for_real(work: Path) -> None:
    """A negative control for the crash test: dying early in a build does
    leave its staging directory (for the next command to remove)."""
    assert tiers(work, "a", "build", "app.py", "-o", "deploy").returncode == 0
    left = []
    for crash in range(1, 6):
        died = tiers(work, "b", "build", "app.py", "-o", "deploy", CRASH_AT=str(crash))
        assert died.returncode == 137
        left.append((work / "deploy" / STAGING).is_dir())
    assert any(left)


def test_sigterm_while_rendering_leaves_no_staging(tmp_path: Path) -> None:
    from tests.test_output import NO_BYTECODE, snapshot, write_app

    write_app(tmp_path / "app.py", [f"t{i:04}" for i in range(400)])
    out = tmp_path / "deploy"
    out.mkdir()
    (out / "README.md").write_text("mine\n")
    before = snapshot(out)
    # stderr goes to a file: the build's warnings must never block it on a full pipe
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tiers", "build", "app.py", "-o", "deploy"],
            cwd=tmp_path,
            env={**NO_BYTECODE, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        while process.poll() is None and not (out / STAGING).exists():
            time.sleep(0.0005)
        process.terminate()
        process.wait(timeout=120)
    err = log.read_text()
    assert process.returncode in (0, 130), err
    if process.returncode == 130:
        assert "interrupted; nothing was written" in err
        assert snapshot(out) == before
    assert leftovers(out) == []


def test_staging_left_beside_dir_by_an_earlier_tiers_is_removed_or_reported(
    tmp_path: Path,
) -> None:
    from tests.test_output import write_app

    write_app(tmp_path / "app.py", ["aa"])
    unmoved, moved, other = (
        tmp_path / n
        for n in (".deploy.tiers-ab12cd34", ".deploy.tiers-zz99yy88", ".deploy.tiers-notours1")
    )
    for staging in (unmoved, moved):
        (staging / "new").mkdir(parents=True)
        (staging / "old").mkdir()
        (staging / "new" / "0").write_text("staged\n")
    (moved / "old" / "0").write_text("the only copy\n")
    (other / "mine").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "tiers", "build", "app.py", "-o", "deploy"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**environment("a", 0)},
    )
    assert result.returncode == 0, result.stderr
    assert "removed .deploy.tiers-ab12cd34, the staging of an interrupted build" in result.stderr
    assert (
        "warning: .deploy.tiers-zz99yy88 was left by an interrupted build of an earlier "
        "tiers and holds 1 file(s) moved out of deploy" in result.stderr
    )
    assert not unmoved.exists()
    assert (moved / "old" / "0").read_text() == "the only copy\n"
    assert (other / "mine").is_dir()


def test_a_recovery_that_dies_at_any_step_is_finished_by_the_next_command(work: Path) -> None:
    """kill -9 of the command that was finishing an interrupted commit: the one
    after it finishes (or undoes) what both left."""
    expected = _reference(work, "resource")
    total = _calls(work, "resource")
    outcomes = set()
    for crash in (total // 3, total // 2):  # a build dies halfway through its moves
        for again in range(1, 8):  # then the recovery by the next command dies too
            out = work / f"deploy-{crash}-{again}"
            shutil.copytree(work / "ref-resource-a", out)
            died = tiers(work, "b", "build", "app.py", "-o", out.name, CRASH_AT=str(crash))
            assert died.returncode == 137, died.stderr
            recovering = tiers(
                work, "b", "diff", "app.py", out.name, CRASH_AT=str(again), ARM_RECOVERY="1"
            )
            assert recovering.returncode in (0, 1, 137), recovering.stderr
            after = tiers(work, "b", "diff", "app.py", out.name)
            assert "Traceback" not in after.stderr, after.stderr
            assert leftovers(out) == [], (crash, again, after.stderr)
            found = contents(out)
            assert found in (expected["a"], expected["b"]), f"mixed: {crash}, {again}"
            outcomes.add(recovering.returncode)
    assert 137 in outcomes  # some recoveries were indeed killed halfway
