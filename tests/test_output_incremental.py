"""A build touches only what changed: a file whose bytes stay the same keeps
its inode and mtime (file watchers, make, rsync see nothing), DIR itself is
left alone when nothing changed, and the summary line counts the files
written, unchanged and removed. (Atomicity and interruption: test_output.py
and test_output_crash.py, which rebuild over earlier output the same way.)
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_tiers
from tests.test_output import read_only, write_app

Stats = dict[str, tuple[int, int]]


def stats(directory: Path) -> Stats:
    """Every file (and directory) below ``directory``: inode and mtime in ns."""
    found = {".": (directory.stat().st_ino, directory.stat().st_mtime_ns)}
    for path in directory.rglob("*"):
        info = path.lstat()
        found[path.relative_to(directory).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The summary line (warnings of the app come before it)."""
    return result.stderr.splitlines()[-1] + "\n"


def build(app: Path, *options: str) -> subprocess.CompletedProcess[str]:
    result = run_tiers("build", app.name, "-o", "deploy", *options, cwd=app.parent)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("layout", ["tier", "resource", "stream"])
def test_a_build_over_the_same_output_touches_nothing(tmp_path: Path, layout: str) -> None:
    app = write_app(tmp_path / "app.py", ["aa", "bb", "cc"])
    first = build(app, "--layout", layout)
    before = stats(tmp_path / "deploy")
    files = sum(1 for p in (tmp_path / "deploy").rglob("*") if p.is_file())
    assert f"wrote {files} file(s) to deploy (0 unchanged)" in first.stderr
    again = build(app, "--layout", layout)
    assert last_line(again) == f"wrote 0 file(s) to deploy ({files} unchanged)\n"
    assert stats(tmp_path / "deploy") == before


def test_only_the_changed_file_gets_a_new_inode(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app.py", ["aa", "bb", "cc"])
    build(app)
    before = stats(tmp_path / "deploy")
    code = app.read_text().replace("for name in", 'PAD = {"bb": "y"}\nfor name in')
    app.write_text(code.replace('"x" * 10', 'PAD.get(name, "x" * 10)'))
    result = build(app)
    assert last_line(result) == "wrote 1 file(s) to deploy (4 unchanged)\n"
    after = stats(tmp_path / "deploy")
    assert {k for k in after if after[k] != before[k]} == {".", "bb.yaml"}
    assert 'value: "y"\n' in (tmp_path / "deploy" / "bb.yaml").read_text()


def test_a_tier_that_leaves_is_removed_and_counted(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app.py", ["aa", "bb", "cc"])
    build(app)
    before = stats(tmp_path / "deploy")
    write_app(app, ["aa", "cc"])
    result = build(app)
    assert last_line(result) == "wrote 1 file(s) to deploy (3 unchanged, 1 removed)\n"
    after = stats(tmp_path / "deploy")
    assert sorted(after) == [".", "aa.yaml", "app.yaml", "cc.yaml", "kustomization.yaml"]
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {".", "kustomization.yaml"}  # the record lists one file fewer


def test_the_stream_file_is_compared_in_pieces_and_rewritten_when_one_differs(
    tmp_path: Path,
) -> None:
    app = write_app(tmp_path / "app.py", [f"t{i:03}" for i in range(60)], pad=2000)
    build(app, "--layout", "stream")
    stream = tmp_path / "deploy" / "shop.yaml"
    inode = stream.stat().st_ino
    text = stream.read_text()
    write_app(app, [f"t{i:03}" for i in range(60)] + ["zzz"], pad=2000)
    result = build(app)
    assert last_line(result) == "wrote 1 file(s) to deploy (1 unchanged)\n"  # the same list
    assert stream.stat().st_ino != inode
    assert stream.read_text().startswith(text.rpartition("---\n")[0])  # the same start...
    assert "name: zzz" in stream.read_text()  # ...and the new tier


def test_a_file_edited_by_hand_to_the_same_length_is_rewritten(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app.py", ["aa"])
    build(app)
    path = tmp_path / "deploy" / "aa.yaml"
    path.write_text(path.read_text().replace("api:1.0", "api:9.9"))
    result = build(app)
    assert last_line(result) == "wrote 1 file(s) to deploy (2 unchanged)\n"
    assert "api:1.0" in path.read_text()


def test_an_unchanged_build_into_a_read_only_dir_succeeds(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app.py", ["aa"])
    build(app)
    before = stats(tmp_path / "deploy")
    with read_only(tmp_path / "deploy"):
        result = run_tiers("build", "app.py", "-o", "deploy", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stats(tmp_path / "deploy") == before


def test_unwritable_output_is_exit_2_for_every_command(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app.py", ["aa"])
    build(app)
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        results = {
            "build": run_tiers("build", "app.py", "-o", "locked/deploy", cwd=tmp_path),
            "init": run_tiers("init", "locked/proj", "--name", "shop", cwd=tmp_path),
            "import": run_tiers("import", "deploy", "-o", "locked/x.py", cwd=tmp_path),
        }
    for command, result in results.items():
        assert result.returncode == 2, (command, result.stderr)
        assert "tiers: error: could not write locked/" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert os.listdir(locked) == []
