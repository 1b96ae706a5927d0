"""Hostile output directories through the command line: links planted at
each place tiers writes, the spellings of ``-o``, journals that are not
tiers', two apps in one DIR, and names from templates that would become
paths. Whatever is planted, tiers exits with a message and never a
traceback, nothing outside DIR changes, and a refused build changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_tiers
from tests.crash import STAGING, contents

APP = """\
from tiers import App, Backend, Frontend
app = App("shop")
api = app.add(Backend("backend", image="my-api:1.4.2"))
app.add(Frontend("web", image="web:1.0", env={"API": api.url()}))
"""
VICTIM = "the other project's file\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "victim.txt").write_text(VICTIM, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "deployment-backend.yaml").write_text(VICTIM, encoding="utf-8")
    return tmp_path


def _tiers(work: Path, *args: str) -> tuple[int, str]:
    done = run_tiers(*args, cwd=work)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr


def _untouched(work: Path) -> None:
    assert (work / "victim.txt").read_text(encoding="utf-8") == VICTIM
    assert (work / "other" / "deployment-backend.yaml").read_text(encoding="utf-8") == VICTIM
    assert (
        not list(work.parent.glob("*.yaml")) and not (work.parent / "kustomization.yaml").exists()
    )


# Must have 1: a link inside DIR is refused, never followed, wherever it is

PLANTED = [
    ("tier", "backend.yaml", "../victim.txt", "(a symbolic link)"),
    ("tier", "kustomization.yaml", "../victim.txt", "(a symbolic link)"),
    ("tier", "app.yaml", "../nowhere", "(a symbolic link)"),  # dangling
    ("resource", "backend", "../other", "(a symbolic link)"),  # a tier's directory
    ("resource", "backend/deployment-backend.yaml", "../../victim.txt", "(a symbolic link)"),
    ("stream", "shop.yaml", "../victim.txt", "(a symbolic link)"),
    ("tier", STAGING, "../other", "not tiers' staging directory"),
]


@pytest.mark.parametrize(("layout", "place", "target", "said"), PLANTED)
def test_a_link_planted_in_dir_is_refused_and_not_followed(
    work: Path, layout: str, place: str, target: str, said: str
) -> None:
    out = work / "deploy"
    (out / place).parent.mkdir(parents=True, exist_ok=True)
    (out / place).symlink_to(target)
    code, err = _tiers(work, "build", "app.py", "-o", "deploy", "--layout", layout)
    assert code == 2, err
    assert f"deploy/{place}" in err and said in err
    _untouched(work)
    assert sorted(os.listdir(work / "other")) == ["deployment-backend.yaml"]


def test_a_fifo_where_a_file_goes_is_refused_without_hanging(work: Path) -> None:
    assert _tiers(work, "build", "app.py", "-o", "deploy")[0] == 0
    (work / "deploy" / "backend.yaml").unlink()
    os.mkfifo(work / "deploy" / "backend.yaml")
    code, err = _tiers(work, "build", "app.py", "-o", "deploy")
    assert code == 2 and "deploy/backend.yaml (a FIFO)" in err


def test_dir_itself_may_be_a_link_resolved_once_and_said(work: Path) -> None:
    (work / "real").mkdir()
    (work / "deploy").symlink_to("real")
    code, err = _tiers(work, "build", "app.py", "-o", "deploy")
    assert code == 0, err
    assert f"wrote 4 file(s) to deploy, a link to {work / 'real'}" in err
    assert sorted(os.listdir(work / "real")) == [
        "app.yaml",
        "backend.yaml",
        "kustomization.yaml",
        "web.yaml",
    ]


@pytest.mark.parametrize("command", ["build", "diff", "init"])
def test_a_dangling_or_looping_dir_link_is_an_error(work: Path, command: str) -> None:
    (work / "dangling").symlink_to("nowhere")
    (work / "loop-a").symlink_to("loop-b")
    (work / "loop-b").symlink_to("loop-a")
    for out in ("dangling", "loop-a", "dangling/below"):
        args = {"build": ("build", "app.py", "-o", out), "diff": ("diff", "app.py", out)}
        code, err = _tiers(work, *args.get(command, ("init", out)))
        assert code == 2, (out, err)
        assert "is a symbolic link to" in err and "which does not exist" in err
    assert not (work / "nowhere").exists()


# -o spelled every way names one directory, resolved before the app runs

CHDIR_APP = 'import os\nos.chdir(os.environ["ELSEWHERE"])\n' + APP


@pytest.mark.parametrize("spelling", ["deploy/", "./deploy//", "deploy/../deploy", "--output="])
def test_every_spelling_of_o_writes_the_same_directory(work: Path, spelling: str) -> None:
    assert _tiers(work, "build", "app.py", "-o", "deploy")[0] == 0
    args = ("--output=deploy",) if spelling == "--output=" else ("-o", spelling)
    code, err = _tiers(work, "build", "app.py", *args)
    assert code == 0 and "wrote 0 file(s)" in err and "(4 unchanged)" in err


def test_an_app_that_changes_directory_does_not_move_the_output(work: Path) -> None:
    (work / "elsewhere").mkdir()
    (work / "moving.py").write_text(CHDIR_APP, encoding="utf-8")
    done = run_tiers(
        "build",
        "moving.py",
        "-o",
        "deploy",
        cwd=work,
        env={**os.environ, "ELSEWHERE": str(work / "elsewhere")},
    )
    assert done.returncode == 0, done.stderr
    assert (work / "deploy" / "backend.yaml").is_file()
    assert os.listdir(work / "elsewhere") == []


@pytest.mark.parametrize("command", [("build", "app.py", "-o"), ("import", "x.yaml", "-o")])
def test_an_empty_o_is_a_usage_error(work: Path, command: tuple[str, ...]) -> None:
    code, err = _tiers(work, *command, "")
    assert code == 2 and "is empty" in err


# a journal in DIR that tiers did not write (or that is broken) is never obeyed blindly

JOURNALS = [
    ("commit", b"not json{", "not a journal tiers wrote"),
    ("commit", b"[1, 2]", "not a journal tiers wrote"),
    ("rollback", b'{"version": 2}', "not a journal tiers wrote"),
    ("commit", b'{"version": 1, "files": [[3, true]], "stale": [], "made": []}', "not a path"),
    ("commit", "FIFO", "(not a regular file)"),
    ("rollback", "LINK", "(a symbolic link)"),
]


@pytest.mark.parametrize(("name", "journal", "said"), JOURNALS)
def test_a_journal_tiers_cannot_read_is_reported_and_nothing_moves(
    work: Path, name: str, journal: bytes | str, said: str
) -> None:
    assert _tiers(work, "build", "app.py", "-o", "deploy")[0] == 0
    before = contents(work / "deploy")
    staging = work / "deploy" / STAGING
    (staging / "old").mkdir(parents=True)
    (staging / "new").mkdir()
    (staging / "tiers").write_text("tiers\n")
    (staging / "old" / "0").write_text("moved aside\n")
    if journal == "FIFO":
        os.mkfifo(staging / name)
    elif journal == "LINK":
        (staging / name).symlink_to("../../victim.txt")
    else:
        assert isinstance(journal, bytes)
        (staging / name).write_bytes(journal)
    for command in (("build", "app.py", "-o", "deploy"), ("diff", "app.py", "deploy")):
        code, err = _tiers(work, *command)
        assert code == 2, err
        assert f"deploy/{STAGING}/{name}" in err and said in err
        assert f"files that commit moved aside, if any, are in deploy/{STAGING}/old" in err
    assert (staging / "old" / "0").read_text() == "moved aside\n"
    assert contents(work / "deploy") == before
    _untouched(work)


def test_a_journal_naming_paths_outside_dir_moves_nothing_there(work: Path) -> None:
    assert _tiers(work, "build", "app.py", "-o", "deploy")[0] == 0
    staging = work / "deploy" / STAGING
    (staging / "new").mkdir(parents=True)
    (staging / "old").mkdir()
    (staging / "tiers").write_text("tiers\n")
    (staging / "new" / "0").write_text("planted\n")
    plan = '{"version": 1, "files": [["../victim.txt", true]], "stale": ["../other"], "made": []}'
    (staging / "commit").write_text(plan)
    code, err = _tiers(work, "build", "app.py", "-o", "deploy")
    assert code == 0 and "rolled back the interrupted commit of deploy" in err
    assert not staging.exists()
    _untouched(work)


# tiers import and tiers init write through no link

IN = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: "my-api:1.4.2"}]}
"""


def test_import_writes_through_no_planted_link(work: Path) -> None:
    (work / "in.yaml").write_text(IN)
    (work / ".app.py.tiers-import").symlink_to("victim.txt")
    (work / "linked.py").symlink_to("victim.txt")
    (work / "dangling.py").symlink_to("nowhere.py")
    assert _tiers(work, "import", "in.yaml", "-o", "app.py", "--force")[0] == 0
    assert not (work / "app.py").is_symlink() and "Tier(" in (work / "app.py").read_text()
    for out in ("linked.py", "dangling.py"):
        code, err = _tiers(work, "import", "in.yaml", "-o", out, "--force")
        assert code == 2 and "is a symbolic link; tiers never writes through one" in err
    assert not (work / "nowhere.py").exists()
    _untouched(work)


@pytest.mark.parametrize("place", ["README.md", "app.py", ".github"])
def test_init_writes_through_no_planted_link(work: Path, place: str) -> None:
    (work / "project").mkdir()
    (work / "project" / place).symlink_to("../victim.txt")
    code, err = _tiers(work, "init", "project")
    assert code == 2 and "refusing to overwrite project/" in err and "nothing was written" in err
    assert os.listdir(work / "project") == [place]
    _untouched(work)


# two apps, one DIR: the second is refused; one app however spelled is one owner

OTHER = (
    'from tiers import App, Backend\napp = App("other")\napp.add(Backend("backend", image="o:1"))\n'
)


@pytest.mark.parametrize("layout", ["tier", "resource", "stream"])
def test_a_second_app_in_dir_is_refused_and_build_and_diff_agree(work: Path, layout: str) -> None:
    (work / "other.py").write_text(OTHER)
    assert _tiers(work, "build", "app.py", "-o", "deploy", "--layout", layout)[0] == 0
    before = contents(work / "deploy")
    for command in (("build", "other.py", "-o", "deploy"), ("diff", "other.py", "deploy")):
        code, err = _tiers(work, *command)
        assert code == 2, err
        assert "deploy holds the files of app 'shop'" in err and "not of app 'other'" in err
    assert contents(work / "deploy") == before
    (work / "sub").mkdir()
    for spelling, cwd in (
        ("./app.py", work),
        (str(work / "app.py"), work),
        ("../app.py", work / "sub"),
    ):
        out = "deploy" if cwd == work else "../deploy"
        done = run_tiers("diff", spelling, out, cwd=cwd)
        assert done.returncode == 0, (spelling, done.stdout, done.stderr)
        built = run_tiers("build", spelling, "-o", out, cwd=cwd)
        assert built.returncode == 0, built.stderr  # the same app: its header names APP
        assert _bodies(contents(work / "deploy")) == _bodies(before), spelling


def _bodies(found: dict[str, bytes]) -> dict[str, bytes]:
    """The files without their first line, tiers' header (which spells APP as given)."""
    return {name: data.partition(b"\n")[2] for name, data in found.items()}


# names from templates never become paths outside DIR, and never collide

TEMPLATED = """\
from pathlib import Path
from tiers import App, Backend
app = App("shop")
app.add(Backend("backend", image="my-api:1.4.2", extra_templates=[Path("t.yaml.j2")]))
"""
BAD_OBJECTS = [
    ("kind: ../PWNED\nmetadata: {name: x}", "rendered kind '../PWNED'"),
    ("kind: ConfigMap\nmetadata: {name: ../../etc/x}", "rendered metadata.name '../../etc/x'"),
    ("kind: ConfigMap\nmetadata: {name: a/b}", "rendered metadata.name 'a/b'"),
    ("kind: ConfigMap\nmetadata: {name: x, namespace: ../y}", "metadata.namespace '../y'"),
    ("kind: ConfigMap\nmetadata: {name: " + "a" * 300 + "}", "253 at most"),
    ("kind: Cönfig\nmetadata: {name: x}", "rendered kind 'Cönfig'"),
    (
        "kind: ConfigMap\nmetadata: {name: backend-service}\n---\napiVersion: v1\n"
        "kind: ConfigMap\nmetadata: {name: backend-service}",
        "is made 2 times",
    ),
    ("kind: Service\nmetadata: {name: backend-service}", "is made 2 times (by tier 'backend')"),
]


@pytest.mark.parametrize(("document", "said"), BAD_OBJECTS)
def test_a_templates_names_are_checked_before_they_become_paths(
    work: Path, document: str, said: str
) -> None:
    (work / "templated.py").write_text(TEMPLATED)
    (work / "t.yaml.j2").write_text(f"apiVersion: v1\n{document}\n", encoding="utf-8")
    for layout in ("resource", "tier", "stream"):
        code, err = _tiers(work, "build", "templated.py", "-o", "deploy", "--layout", layout)
        assert code == 1, err
        assert said in err
        assert "t.yaml.j2:1:" in err or "templated.py:4:" in err
        assert not (work / "deploy").exists()
    assert _tiers(work, "validate", "templated.py")[0] == 1
    _untouched(work)


def test_objects_alike_but_for_group_case_or_namespace_get_files_of_their_own(
    work: Path,
) -> None:
    (work / "templated.py").write_text(TEMPLATED)
    objects = [
        ("v1", "ConfigMap", "x", None),
        ("example.com/v1", "ConfigMap", "x", None),
        ("example.com/v1", "Configmap", "x", None),
        ("v1", "ConfigMap", "b", "a"),
        ("v1", "ConfigMap", "b", "c"),
        ("v1", "ConfigMap", "a-b", None),
    ]
    (work / "t.yaml.j2").write_text(
        "\n---\n".join(
            f"apiVersion: {v}\nkind: {k}\nmetadata: {{name: {n}"
            + (f", namespace: {ns}}}" if ns else "}")
            for v, k, n, ns in objects
        )
    )
    code, err = _tiers(work, "build", "templated.py", "-o", "deploy", "--layout", "resource")
    assert code == 0, err
    files = [f for f in os.listdir(work / "deploy" / "backend") if f.startswith("configmap-")]
    assert len(files) == len(objects)
    assert _tiers(work, "diff", "templated.py", "deploy")[0] == 0


def test_a_hard_link_in_dir_is_replaced_never_written_through(work: Path) -> None:
    assert _tiers(work, "build", "app.py", "-o", "deploy")[0] == 0
    mine = work / "mine.yaml"
    text = (work / "deploy" / "backend.yaml").read_text().replace("my-api:1.4.2", "other:9")
    mine.write_text(text)
    (work / "deploy" / "backend.yaml").unlink()
    os.link(mine, work / "deploy" / "backend.yaml")
    code, err = _tiers(work, "build", "app.py", "-o", "deploy")
    assert code == 0 and "wrote 1 file(s)" in err
    assert mine.read_text() == text and mine.stat().st_nlink == 1
