"""The built wheel, installed into a fresh virtual environment, works on its
own: templates and py.typed inside the package, the console script, and the
same output as the checkout."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, Built


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built as a release is: the sdist from the checkout, then the
    wheel from the sdist, so both must carry the templates. The build backend
    comes from the package index into an isolated build environment, as it
    does for a release (checkov pins ``packaging`` below what hatchling needs,
    so the two cannot share the test environment)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "-o", out, ROOT, cwd=out)
    assert len(list(out.glob("tiers-*.tar.gz"))) == 1
    (found,) = out.glob("tiers-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh virtual environment (no system packages) with only the wheel
    and its dependencies from the package index; this environment's pip
    installs them, which spares installing pip into the new one."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", home, cwd=home.parent)
    python = home / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=home.parent)
    return home


def test_the_wheel_holds_the_templates_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p.name for p in (ROOT / "templates").glob("*.j2"))
    assert templates
    for name in templates:
        assert f"tiers/templates/{name}" in names
    assert "tiers/py.typed" in names


def test_the_wheel_declares_the_console_script(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
    config = configparser.ConfigParser()
    config.read_string(archive.read(entry_points).decode())
    assert config["console_scripts"]["tiers"] == "tiers.cli:main"


def test_the_installed_package_builds_outside_the_checkout(
    venv: Path, tmp_path: Path, built: dict[str, Built]
) -> None:
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLES / "multi_tier.py", tmp_path / "examples" / "multi_tier.py")
    result = run(venv / "bin" / "tiers", "build", "examples/multi_tier.py", cwd=tmp_path)
    assert result.stdout == built["multi_tier"].text


def test_without_the_schema_extra_patched_objects_are_unchecked_and_say_so(
    venv: Path, tmp_path: Path
) -> None:
    """The plain install has no kubernetes-validate: a patch still applies, and
    validation warns that the patched object was not checked."""
    shutil.copy(ROOT / "tests" / "bad" / "patch_schema.py", tmp_path / "app.py")
    result = subprocess.run(
        [str(venv / "bin" / "tiers"), "validate", "app.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "patches[0]: patched objects are not checked against the Kubernetes schemas" in (
        result.stdout
    )
    assert "pip install 'tiers[schema]'" in result.stdout


def test_templates_load_from_the_installed_package(venv: Path, tmp_path: Path) -> None:
    code = (
        "import tiers, tiers.render.templates; print(tiers.__file__); "
        "print(tiers.render.templates.template_dir())"
    )
    result = run(venv / "bin" / "python", "-c", code, cwd=tmp_path)
    package, templates = (Path(line) for line in result.stdout.splitlines())
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    assert package.parent == site_packages / "tiers"
    assert templates == site_packages / "tiers" / "templates"
    assert not templates.is_relative_to(ROOT)
    assert sorted(p.name for p in templates.glob("*.j2")) == sorted(
        p.name for p in (ROOT / "templates").glob("*.j2")
    )
