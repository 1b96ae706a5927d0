"""Nothing is written outside DIR and nothing through a symbolic link: links
inside DIR, names from templates, the app's own working directory, DIR as a
link or a mount point, ``tiers init`` and ``tiers import -o``.

Each case plants the trap, runs the command as a user would, and checks the
exit code, the message, that the file outside is as it was, and that DIR is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_tiers
from tests.test_output import snapshot

APP = """
from tiers import App, Tier
app = App("shop")
app.add(Tier("backend", image="api:1.0", ports=[8080]))
app.add(Tier("web", image="web:1.0", ports=[8080]))
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "victim.yaml").write_text("precious\n")
    return tmp_path


def tiers(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tiers(*args, cwd=work)


def untouched(work: Path) -> bool:
    return (work / "victim.yaml").read_text() == "precious\n"


def test_a_directory_link_inside_dir_is_refused_not_followed(work: Path) -> None:
    other = work / "other-deploy"
    assert (
        tiers(work, "build", "app.py", "-o", "other-deploy", "--layout", "resource").returncode == 0
    )
    before = snapshot(other)
    (work / "deploy").mkdir()
    (work / "deploy" / "backend").symlink_to("../other-deploy/backend")
    result = tiers(work, "build", "app.py", "-o", "deploy", "--layout", "resource")
    assert result.returncode == 2
    assert "refusing to overwrite deploy/backend (a symbolic link)" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(other) == before
    assert sorted(p.name for p in (work / "deploy").iterdir()) == ["backend"]


@pytest.mark.parametrize("name", ["backend.yaml", "kustomization.yaml", "app.yaml"])
def test_a_file_link_inside_dir_is_refused_dangling_or_not(work: Path, name: str) -> None:
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    (work / "deploy" / name).unlink()
    (work / "deploy" / name).symlink_to("../victim.yaml")
    (work / "deploy" / "web.yaml").unlink()
    (work / "deploy" / "web.yaml").symlink_to("../nowhere.yaml")
    before = snapshot(work / "deploy")
    result = tiers(work, "build", "app.py", "-o", "deploy")
    assert result.returncode == 2
    assert f"deploy/{name} (a symbolic link)" in result.stderr
    assert "deploy/web.yaml (a symbolic link)" in result.stderr
    assert untouched(work) and not (work / "nowhere.yaml").exists()
    assert snapshot(work / "deploy") == before


@pytest.mark.parametrize("planted", ["link", "user-dir", "file"])
def test_a_planted_staging_directory_is_never_used_or_removed(work: Path, planted: str) -> None:
    out = work / "deploy"
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    staging = out / ".tiers-staging"
    if planted == "link":
        (work / "elsewhere").mkdir()
        staging.symlink_to("../elsewhere")
    elif planted == "user-dir":
        staging.mkdir()
        (staging / "mine.txt").write_text("mine\n")
    else:
        staging.write_text("mine\n")
    before = snapshot(out)
    result = tiers(work, "build", "app.py", "-o", "deploy")
    assert result.returncode == 2
    assert "deploy/.tiers-staging (not tiers' staging directory: remove it)" in result.stderr
    assert snapshot(out) == before
    if planted == "link":
        assert list((work / "elsewhere").iterdir()) == []


def test_dir_itself_may_be_a_link_resolved_once_and_said(work: Path) -> None:
    (work / "real").mkdir()
    (work / "current").symlink_to("real")
    result = tiers(work, "build", "app.py", "-o", "current")
    assert result.returncode == 0, result.stderr
    assert f"to current, a link to {work / 'real'}, (0 unchanged)" in result.stderr
    assert (work / "current").is_symlink()
    assert (work / "real" / "backend.yaml").is_file()


@pytest.mark.parametrize("where", ["deploy", "a/deploy"])
def test_a_dangling_link_as_dir_or_on_its_way_is_an_error(work: Path, where: str) -> None:
    first = where.split("/")[0]
    (work / first).symlink_to(work / "missing")
    result = tiers(work, "build", "app.py", "-o", where)
    assert result.returncode == 2
    assert (
        f"{first} is a symbolic link to {work / 'missing'}, which does not exist" in result.stderr
    )
    assert not (work / "missing").exists()


def test_an_empty_output_is_a_usage_error(work: Path) -> None:
    for command in (("build", "app.py", "-o", ""), ("diff", "app.py", ""), ("init", "")):
        result = tiers(work, *command)
        assert result.returncode == 2, command
        assert "is empty" in result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["app.py", "victim.yaml"]


def test_an_app_that_changes_directory_does_not_move_the_output(work: Path) -> None:
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    app = work / "app.py"
    app.write_text(f"import os\nos.chdir({str(elsewhere)!r})\n" + APP)
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    assert (work / "deploy" / "backend.yaml").is_file()
    assert list(elsewhere.iterdir()) == []
    result = tiers(work, "diff", "app.py", "deploy")
    assert result.returncode == 0, result.stdout + result.stderr


def _template_app(work: Path, kind: str, name: str, namespace: str = "shop") -> None:
    (work / "evil.yaml.j2").write_text(
        f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name!r}\n  namespace: {namespace}\n"
    )
    tier = 'Tier("backend", image="api:1.0", ports=[8080]'
    (work / "app.py").write_text(APP.replace(tier, tier + ', extra_templates=["evil.yaml.j2"]'))


@pytest.mark.parametrize(
    ("kind", "name", "namespace", "message"),
    [
        ("../PWNED", "x", "shop", "rendered kind '../PWNED', which is not a Kubernetes kind"),
        ("ConfigMap", "../../pwned", "shop", "rendered metadata.name '../../pwned'"),
        ("ConfigMap", "a/b", "shop", "rendered metadata.name 'a/b'"),
        ("ConfigMap", ".hidden", "shop", "rendered metadata.name '.hidden'"),
        ("ConfigMap", "x", "../up", "rendered metadata.namespace '../up'"),
    ],
)
def test_names_from_templates_are_checked_before_they_name_files(
    work: Path, kind: str, name: str, namespace: str, message: str
) -> None:
    _template_app(work, kind, name, namespace)
    (work / "deploy").mkdir()
    for layout in ("resource", "tier", "stream"):
        result = tiers(work, "build", "app.py", "-o", "deploy/out", "--layout", layout)
        assert result.returncode == 1, result.stderr
        assert (
            f"evil.yaml.j2:1: error: tier 'backend', extra_templates[0]: evil.yaml.j2 {message}"
            in result.stderr
        )
    assert sorted(p.name for p in work.rglob("*") if "pwned" in p.name.lower()) == []
    assert list((work / "deploy").iterdir()) == []


def test_the_writer_refuses_any_name_that_is_not_plain(tmp_path: Path) -> None:
    from tiers.errors import OutputError
    from tiers.output.write import write_tree

    for name in ("../x.yaml", "/etc/x.yaml", "a/../../x.yaml", ".tiers-staging/x", "a//b", ""):
        with pytest.raises(OutputError, match="not a plain name"):
            write_tree(tmp_path / "deploy", {"ok.yaml": "a: 1\n", name: "b: 2\n"}, "app.py")
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_resource_layout_names_the_object_whose_name_is_not_plain() -> None:
    from tiers.errors import UsageError
    from tiers.output.layouts import layout_files
    from tiers.render.objects import Rendered

    patched = Rendered(
        "backend", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "../x"}}
    )
    with pytest.raises(UsageError, match=r"for 'ConfigMap' '\.\./x' of tier 'backend'"):
        layout_files([patched], "resource", "shop")


def test_a_hand_edited_record_never_leads_a_removal_outside_dir(work: Path) -> None:
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    record = work / "deploy" / "kustomization.yaml"
    outside = work / "outside.yaml"
    outside.write_text("# Generated by tiers from app.py. Do not edit.\nkind: Mine\n")
    record.write_text(record.read_text() + "- ../outside.yaml\n- /etc/hostname\n")
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    assert outside.read_text().endswith("kind: Mine\n")


def test_a_mount_point_as_dir_builds(work: Path) -> None:
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is missing: run `bash scripts/setup-tools`"
    (work / "mnt").mkdir()
    script = (
        f"mount -t tmpfs tmpfs {work / 'mnt'} && "
        # the negative control: a rename across the mount fails as it did for the old staging
        "! python -c \"import os; os.rename('victim.yaml', 'mnt/x')\" 2>/dev/null && "
        f"python -m tiers build app.py -o mnt && python -m tiers build app.py -o mnt && "
        f"python -m tiers diff app.py mnt && ls -A mnt"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [unshare, "-rm", "sh", "-c", script.replace("python", sys.executable)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["app.yaml", "backend.yaml", "kustomization.yaml", "web.yaml"]
    assert "wrote 4 file(s) to mnt (0 unchanged)" in done.stderr
    assert "wrote 0 file(s) to mnt (4 unchanged)" in done.stderr
    assert untouched(work)


def test_init_never_writes_through_a_link(work: Path) -> None:
    project = work / "proj"
    project.mkdir()
    (project / "README.md").symlink_to("../victim.yaml")
    (project / "app.py").symlink_to("../nowhere.py")
    result = tiers(work, "init", "proj", "--name", "shop")
    assert result.returncode == 2
    assert "refusing to overwrite proj/app.py, proj/README.md; nothing was written" in result.stderr
    assert untouched(work) and not (work / "nowhere.py").exists()
    (project / "README.md").unlink()
    (project / "app.py").unlink()
    (work / "elsewhere").mkdir()
    (project / ".github").symlink_to("../elsewhere")
    result = tiers(work, "init", "proj", "--name", "shop")
    assert result.returncode == 2
    assert "proj/.github/workflows/tiers.yml" in result.stderr
    assert list((work / "elsewhere").iterdir()) == [] and list(project.iterdir()) == [
        project / ".github"
    ]


def test_init_into_a_dangling_link_is_an_error(work: Path) -> None:
    (work / "proj").symlink_to("nowhere")
    result = tiers(work, "init", "proj", "--name", "shop")
    assert result.returncode == 2
    assert "proj is a symbolic link to nowhere, which does not exist" in result.stderr
    assert not (work / "nowhere").exists()


def test_import_never_writes_through_a_planted_staging_link(work: Path) -> None:
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    (work / ".new.py.tiers-import").symlink_to("victim.yaml")
    result = tiers(work, "import", "deploy/backend.yaml", "-o", "new.py")
    assert result.returncode == 0, result.stderr
    assert untouched(work)
    assert (work / ".new.py.tiers-import").is_symlink()
    assert not (work / "new.py").is_symlink() and "Tier(" in (work / "new.py").read_text()
    assert sorted(p.name for p in work.iterdir() if "tiers-import" in p.name) == [
        ".new.py.tiers-import"
    ]


def test_import_refuses_an_output_that_is_a_link(work: Path) -> None:
    assert tiers(work, "build", "app.py", "-o", "deploy").returncode == 0
    (work / "linked.py").symlink_to("victim.yaml")
    refused = tiers(work, "import", "deploy/backend.yaml", "-o", "linked.py")
    assert refused.returncode == 2 and "linked.py exists; use --force" in refused.stderr
    forced = tiers(work, "import", "deploy/backend.yaml", "-o", "linked.py", "--force")
    assert forced.returncode == 2
    assert "linked.py is a symbolic link; tiers never writes through one" in forced.stderr
    assert untouched(work) and (work / "linked.py").is_symlink()


def test_the_plain_name_rule_docstring_runs() -> None:
    import doctest

    import tiers.output.safefs

    failures, tried = doctest.testmod(tiers.output.safefs)
    assert (failures, tried) == (0, 2)
