"""Every code block of the README and of docs/ runs as written: Python blocks
are executed (and any App they make compiles), shell blocks are run command by
command in a scratch copy of the examples, and transcripts (``$ tiers ...``
followed by its output) must print exactly what they show."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_tiers
from tests.tools import ensure_tool
from tiers import App, compile_app

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)

NOT_RUN_HERE = {
    "python3 -m venv": "the install: tests/test_wheel.py installs the package the same way",
    ". .venv/bin/activate": "the install, as above",
    "pip install": "the install, as above",
    "bash scripts/test": "the test run itself: CI runs it (.ci/run)",
    "python benchmarks/": "the benchmarks: their own command, minutes long",
    "kubectl -n shop create secret": "needs a cluster",
}
"""Commands the docs show that a test does not run, and why."""


@dataclass(frozen=True)
class Block:
    page: Path
    index: int
    lang: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}#{self.index}"


def blocks(*langs: str) -> list[Block]:
    found = []
    for page in PAGES:
        for index, (lang, text) in enumerate(FENCE.findall(page.read_text(encoding="utf-8"))):
            if lang in langs:
                found.append(Block(page, index, lang, text))
    return found


def scratch(tmp_path: Path) -> Path:
    """A directory with the examples and test data the docs name, as in a checkout."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    shutil.copytree(ROOT / "tests" / "bad", tmp_path / "tests" / "bad")
    return tmp_path


@pytest.mark.parametrize("block", blocks("python"), ids=lambda b: b.id)
def test_python_blocks_run(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each block runs; an App it makes compiles, unless the block shows an error."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {"__name__": "docs"}
    # paths in the docs start at the repository's root, as in an app.py there
    exec(compile(block.text, str(ROOT / block.page.name), "exec"), namespace)
    if "InvalidAppError" not in block.text:
        for value in namespace.values():
            if isinstance(value, App):
                assert compile_app(value).objects


def commands(text: str) -> list[str]:
    """The commands of a shell block: one per line or per ``&&``, comments dropped."""
    found = []
    for line in text.splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            found += [part.strip() for part in line.split("&&")]
    return found


def run(command: str, cwd: Path) -> tuple[Path, int]:
    """Run one documented command in ``cwd``; the directory it leaves, its exit code."""
    argv = shlex.split(command)
    if argv[0] == "cd":
        return cwd / argv[1], 0
    if ">" in argv:  # tiers completion SHELL > FILE: the script, checked, not installed
        argv = argv[: argv.index(">")]
    if argv[0] == "tiers":
        done = run_tiers(*argv[1:], cwd=cwd)
    elif argv[0] in ("kubectl", "git"):
        tool = ensure_tool(argv[0])
        done = subprocess.run([tool, *argv[1:]], cwd=cwd, capture_output=True, text=True)
    else:
        raise AssertionError(f"the docs show a command no test runs: {command}")
    expected = 1 if "tests/bad/" in command else 0  # a bad app, shown for its messages
    assert done.returncode == expected, f"{command}: {done.stdout}{done.stderr}"
    return cwd, done.returncode


SHELL_PAGES = sorted({b.page for b in blocks("sh")})


@pytest.mark.parametrize("page", SHELL_PAGES, ids=lambda p: p.name)
def test_shell_blocks_run(page: Path, tmp_path: Path) -> None:
    """A page's shell blocks, in order, in one scratch directory; ``app.py`` is the
    page's Python block above the command when the page has not made one."""
    cwd = scratch(tmp_path)
    subprocess.run(["git", "init", "-q", str(cwd)], check=True)
    above = ""
    for block in [b for b in blocks("python", "sh") if b.page == page]:
        if block.lang == "python":
            above = block.text
            continue
        for command in commands(block.text):
            if any(command.startswith(prefix) for prefix in NOT_RUN_HERE):
                continue
            if "app.py" in command.split() and not (cwd / "app.py").exists():
                (cwd / "app.py").write_text(above, encoding="utf-8")
            if command.startswith("git commit"):
                command = command.replace(
                    "git commit", "git -c user.name=t -c user.email=t@t commit"
                )
            cwd, _ = run(command, cwd)


def transcripts() -> list[Block]:
    return [b for b in blocks("text") if b.text.startswith("$ tiers ")]


@pytest.mark.parametrize("block", transcripts(), ids=lambda b: b.id)
def test_transcripts_show_what_tiers_prints(block: Block, tmp_path: Path) -> None:
    first, *shown = block.text.splitlines()
    argv = shlex.split(re.sub(r"\s+#.*$", "", first))[2:]
    cwd = scratch(tmp_path)
    if argv[0] == "diff":  # the page's story: deploy/ was built, then edited to 5 replicas
        assert run_tiers("build", argv[1], "-o", argv[2], cwd=cwd).returncode == 0
        backend = cwd / argv[2] / "backend.yaml"
        backend.write_text(backend.read_text().replace("replicas: 2", "replicas: 5"))
    done = run_tiers(*argv, cwd=cwd)
    # what the command reports: its stdout (tiers diff), else its stderr (errors)
    assert (done.stdout or done.stderr).splitlines() == shown


def test_every_page_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f": {page.name}" in nav, f"{page.name} is missing from mkdocs.yml's nav"


def test_the_docs_name_only_examples_that_exist() -> None:
    for page in PAGES:
        for name in re.findall(r"examples/(\w+)\.py", page.read_text(encoding="utf-8")):
            assert (ROOT / "examples" / f"{name}.py").is_file(), f"{page.name}: examples/{name}.py"


def test_the_kinds_table_quotes_the_defaults_in_the_code() -> None:
    from tiers import Backend, Frontend, MySQL

    page = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    rows = {
        cells[0].strip("` "): [c.strip() for c in cells[1:]]
        for cells in (line.strip().strip("|").split("|") for line in page.splitlines())
        if cells[0].strip().startswith("`") and len(cells) == 5
    }
    for kind in (MySQL("db"), Backend("api", image="api:1"), Frontend("web")):
        image, port, _, component = rows[type(kind).__name__]
        if image != "required":
            assert image == f"`{kind.image}`"
        first = kind.ports[0]
        assert port.startswith(str(getattr(first, "number", first)))
        assert component == f"`{kind.default_component}`"
