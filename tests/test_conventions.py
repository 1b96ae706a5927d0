"""Command-line conventions: ``-o -`` is stdout, a format given to ``-o`` is a
usage error, ``--format json``, the exit codes of ``tiers diff``, shell
completion, help text for every option, and the workflow ``tiers init`` writes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import kubernetes_validate
import pytest
import yaml

from tests.conftest import EXAMPLES, run_tiers
from tests.tools import ensure_tool
from tiers.cli import main

WEB = str(EXAMPLES / "web_app.py")
BAD = 'from tiers import App, Backend\napp = App("x")\na = app.add(Backend("a", image="a:1"))\n'
BAD += 'b = app.add(Backend("b", image="b:1", env={"U": a.url(port=1)}))\n'


def test_dash_output_is_the_stream_on_stdout(tmp_path: Path) -> None:
    plain = run_tiers("build", WEB, cwd=tmp_path)
    dashed = run_tiers("build", WEB, "-o", "-", cwd=tmp_path)
    assert dashed.returncode == 0, dashed.stderr
    assert dashed.stdout == plain.stdout and "kind: Deployment" in dashed.stdout
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("value", ["json", "yaml"])
def test_a_format_given_to_o_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run_tiers("build", WEB, "-o", value, cwd=tmp_path)
    assert result.returncode == 2
    assert f"use --format {value}" in result.stderr
    assert not (tmp_path / value).exists()


def test_json_is_one_v1_list_of_the_same_objects(tmp_path: Path) -> None:
    result = run_tiers("build", WEB, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["apiVersion"], document["kind"]) == ("v1", "List")
    stream = [d for d in yaml.safe_load_all(run_tiers("build", WEB).stdout) if d]
    assert document["items"] == stream
    for item in document["items"]:  # the schemas have no List: each item is checked
        kubernetes_validate.validate(item, "1.30.0", strict=True)


def test_json_with_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_tiers("build", WEB, "--format", "json", "-o", str(tmp_path / "d"))
    assert result.returncode == 2 and "files in -o DIR are YAML" in result.stderr


def test_diff_exit_codes_tell_drift_from_an_invalid_app(tmp_path: Path) -> None:
    out = tmp_path / "deploy"
    assert run_tiers("build", WEB, "-o", str(out)).returncode == 0
    assert run_tiers("diff", WEB, str(out)).returncode == 0
    (out / "web.yaml").write_text(
        (out / "web.yaml").read_text().replace("replicas: 3", "replicas: 4")
    )
    assert run_tiers("diff", WEB, str(out)).returncode == 1
    (tmp_path / "bad.py").write_text(BAD)
    invalid = run_tiers("diff", str(tmp_path / "bad.py"), str(out))
    assert invalid.returncode == 3 and "1 error(s)" in invalid.stderr
    assert run_tiers("diff", str(tmp_path / "missing.py"), str(out)).returncode == 2
    assert run_tiers("diff", WEB, str(out), "--color", "sometimes").returncode == 2


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = run_tiers("completion", shell)
    assert result.returncode == 0, result.stderr
    assert "_TIERS_COMPLETE" in result.stdout
    if shell == "bash":
        syntax = subprocess.run(["bash", "-n"], input=result.stdout, text=True, check=False)
        assert syntax.returncode == 0


def test_bash_completion_completes_commands() -> None:
    env = {"_TIERS_COMPLETE": "bash_complete", "COMP_WORDS": "tiers bu", "COMP_CWORD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tiers"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
        check=False,
    )
    assert "plain,build" in done.stdout.splitlines()


def _commands(group: click.Group) -> list[click.Command]:
    return [group, *group.commands.values()]


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: c.name or "tiers")
def test_every_command_and_option_has_help(command: click.Command) -> None:
    assert command.help, f"{command.name} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{command.name} {param.opts} has no help text"


def test_the_init_workflow_passes_a_workflow_linter(tmp_path: Path) -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    if not zizmor.exists():
        pytest.fail("zizmor is missing: install the test extras (bash scripts/test)")
    assert run_tiers("init", str(tmp_path / "p"), "--name", "shop").returncode == 0
    workflow = tmp_path / "p" / ".github" / "workflows" / "tiers.yml"
    text = workflow.read_text()
    for action in re.findall(r"uses: (\S+)", text):
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
    clean = subprocess.run(
        [str(zizmor), "--offline", str(workflow)], capture_output=True, text=True
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # the linter can fail: the same workflow with a tag instead of a pin, and
    # without its permissions, is reported
    loose = tmp_path / "loose.yml"
    loose.write_text(
        re.sub(r"@[0-9a-f]{40}", "@v4", text).replace("permissions:\n  contents: read\n", "")
    )
    found = subprocess.run([str(zizmor), "--offline", str(loose)], capture_output=True, text=True)
    assert found.returncode != 0 and "unpinned" in found.stdout + found.stderr


def test_init_installs_what_it_is_told(tmp_path: Path) -> None:
    spec = "tiers @ git+https://example.com/tiers.git@0123456789abcdef0123456789abcdef01234567"
    assert run_tiers("init", str(tmp_path / "p"), "--install", spec).returncode == 0
    workflow = yaml.safe_load((tmp_path / "p" / ".github/workflows/tiers.yml").read_text())
    runs = [s.get("run") for s in workflow["jobs"]["manifests"]["steps"]]
    assert f'pip install "{spec}"' in runs


def test_programs_the_tests_need_fail_with_the_setup_script_named() -> None:
    name = "tiers-no-such-program"
    assert shutil.which(name) is None
    with pytest.raises(pytest.fail.Exception, match=r"scripts/setup-tools"):
        ensure_tool(name)
