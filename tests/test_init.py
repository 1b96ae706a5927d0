"""tiers init: a new project that builds at once and refuses to overwrite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

from tests.conftest import run_tiers
from tests.tools import keyed, kustomize

FILES = {"app.py", "README.md", ".github/workflows/tiers.yml"}


def files_of(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): p.read_text()
        for p in directory.rglob("*")
        if p.is_file()
    }


def test_a_new_project_builds_validates_and_passes_its_own_ci(tmp_path: Path) -> None:
    project = tmp_path / "my-shop"
    result = run_tiers("init", str(project))
    assert result.returncode == 0, result.stderr
    assert set(files_of(project)) == FILES
    assert 'app = App("my-shop")' in (project / "app.py").read_text()
    result = run_tiers("build", "app.py", "-o", "deploy", cwd=project)
    assert result.returncode == 0, result.stderr
    docs = kustomize(project / "deploy")
    assert {"Deployment", "Service"} <= {d["kind"] for d in docs}
    for doc in docs:
        kubernetes_validate.validate(doc, "1.30.0", strict=True)
    assert len(keyed(docs)) == len(docs) >= 6
    workflow = yaml.safe_load((project / ".github/workflows/tiers.yml").read_text())
    runs = [s["run"] for s in workflow["jobs"]["manifests"]["steps"] if "run" in s]
    assert "tiers diff app.py deploy" in runs
    for command in (r for r in runs if r.startswith("tiers ")):
        done = run_tiers(*command.split()[1:], cwd=project)
        assert done.returncode == 0, f"{command}: {done.stderr}"


def test_the_new_app_is_lint_clean(tmp_path: Path) -> None:
    assert run_tiers("init", str(tmp_path / "web"), "--name", "web-shop").returncode == 0
    app = tmp_path / "web" / "app.py"
    assert 'App("web-shop")' in app.read_text()
    for check in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *check, "--isolated", str(app)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    result = run_tiers("init", str(tmp_path), "--name", "shop")
    assert result.returncode == 2
    assert result.stderr == (
        f"tiers: error: refusing to overwrite {tmp_path}/README.md; nothing was written\n"
    )
    assert files_of(tmp_path) == {"README.md": "mine\n"}


def test_a_directory_name_that_cannot_name_an_app(tmp_path: Path) -> None:
    result = run_tiers("init", str(tmp_path / "My_App"))
    assert result.returncode == 2
    assert "the directory name 'My_App' cannot name an app" in result.stderr
    assert "--name" in result.stderr
    assert not (tmp_path / "My_App").exists()


def test_the_installed_wheel_ships_the_project_templates(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "-o", str(tmp_path / "dist"), "."],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("tiers-*.whl"))
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), wheel],
        check=True,
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    where = subprocess.run(
        [sys.executable, "-c", "import tiers; print(tiers.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    result = run_tiers("init", str(tmp_path / "proj"), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert set(files_of(tmp_path / "proj")) == FILES
