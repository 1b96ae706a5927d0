"""``tiers validate`` and the checks: every check is exercised, the output
formats and exit codes, and the checks that no DSL program can reach."""

from __future__ import annotations

import cProfile
import json
import pstats
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, run_tiers
from tiers import App, Backend, MySQL, NotSecret, Port, Tier
from tiers.checks import CHECKS, Context, env, names
from tiers.cli import main
from tiers.compiler import validate
from tiers.errors import UserCodeError
from tiers.loader import load_app

BAD = ROOT / "tests" / "bad"
CHECK_SOURCES = [
    *sorted((ROOT / "tiers" / "checks").glob("*.py")),
    ROOT / "tiers" / "resolve" / "wiring.py",
    ROOT / "tiers" / "resolve" / "core.py",
]
CODE = re.compile(r"(?:error|warning)\(\s*\"([a-z]+(?:-[a-z]+)*)\"")
NOT_REACHABLE_FROM_THE_DSL = {
    "env-duplicate",  # env is a dict: tested on the IR below
    "patch-schema-unchecked",  # needs tiers without kubernetes-validate: tests/test_wheel.py
}


def _codes_in_source() -> set[str]:
    return {code for path in CHECK_SOURCES for code in CODE.findall(path.read_text())}


def _codes_of_bad_apps(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.chdir(ROOT)
    found = set()
    for case in sorted(BAD.glob("*.py")):
        try:
            app = load_app(case.relative_to(ROOT).as_posix())
        except UserCodeError:
            continue
        found |= {d.code for d in validate(app)[1]}
    return found


def test_every_check_has_a_bad_app(monkeypatch: pytest.MonkeyPatch) -> None:
    in_source = _codes_in_source()
    assert len(in_source) > 35
    missing = in_source - _codes_of_bad_apps(monkeypatch) - NOT_REACHABLE_FROM_THE_DSL
    assert not missing


def _invoke(*args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, int]:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.stdout, result.stderr, result.exit_code


def test_json_lists_every_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    out, _, code = _invoke(
        "validate", "tests/bad/several_errors.py", "--format", "json", monkeypatch=monkeypatch
    )
    found = json.loads(out)
    assert code == 1
    assert len(found) == 11
    assert set(found[0]) == {"file", "line", "severity", "tier", "field", "code", "message"}
    assert found[0]["file"] == "tests/bad/several_errors.py"
    lines = [(d["file"], d["line"]) for d in found]
    assert lines == sorted(lines)
    first = {"line": 6, "severity": "error", "tier": "mysql", "field": "replicas"}
    assert {k: found[0][k] for k in first} == first


def test_warnings_pass_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    case = "tests/bad/image_unpinned.py"
    assert _invoke("validate", case, monkeypatch=monkeypatch)[2] == 0
    assert _invoke("validate", case, "--strict", monkeypatch=monkeypatch)[2] == 1


def test_clean_app_prints_nothing_and_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err, code = _invoke("validate", "examples/ingress.py", monkeypatch=monkeypatch)
    assert (out, err, code) == ("", "", 0)
    out, _, code = _invoke(
        "validate", "examples/ingress.py", "--format", "json", monkeypatch=monkeypatch
    )
    assert (json.loads(out), code) == ([], 0)


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "tests/bad/no_such_app.py"),
        ("validate", "examples/multi_port.py", "--format", "xml"),
        ("validate", "examples/multi_port.py:nothing"),
        ("validate",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    out, err, code = _invoke(*args, monkeypatch=monkeypatch)
    assert code == 2
    assert "Traceback" not in out + err


def test_build_runs_the_checks_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "deploy"
    result = run_tiers("build", "tests/bad/several_errors.py", "-o", str(out))
    assert result.returncode == 1
    assert "9 error(s), 2 warning(s)" in result.stderr
    assert result.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_user_code_error_shows_only_the_users_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    _, err, code = _invoke("validate", "tests/bad/user_code_raises.py", monkeypatch=monkeypatch)
    assert code == 1
    assert err.startswith("error: tests/bad/user_code_raises.py raised an exception")
    assert "Traceback (your code only):" in err
    frames = re.findall(r'File "([^"]+)"', err)
    assert frames == ["tests/bad/user_code_raises.py", "tests/bad/user_code_raises.py"]


def _context(app: App) -> Context:
    resolved, diagnostics = validate(app)
    assert not [d for d in diagnostics if d.severity == "error"]
    return Context(app, resolved)


def test_duplicate_env_names_in_a_container() -> None:
    app = App("shop")
    app.add(Backend("api", image="api:1.0", env={"A": "1", "B": "2"}))
    context = _context(app)
    container = context.resolved.tiers[0].workload.containers[0]
    container.env[1].name = "A"
    found = list(env.check_unique_env(context))
    assert [(d.field, d.code) for d in found] == [("env.B", "env-duplicate")]
    assert "'A' is already set (env.A)" in found[0].message


def test_statefulset_names_fit_the_revision_hash_label() -> None:
    app = App("shop")
    app.add(Tier("m" * 53, image="db:1.0", ports=[3306]))
    context = _context(app)
    context.resolved.tiers[0].workload.kind = "StatefulSet"
    found = list(names.check_workload_names(context))
    assert [d.code for d in found] == ["workload-name"]
    assert "53 characters long; use at most 52" in found[0].message


def _calls_made_by_checks(count: int) -> int:
    """How many Python function calls every check makes, together, on an app of
    ``2 * count`` tiers: a count, not a time, so the same on any machine."""
    app = App("shop")
    for i in range(count):
        db = app.add(
            MySQL(
                f"db-{i}",
                env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
                ports=[Port(3306, "mysql")],
            )
        )
        app.add(Tier(f"api-{i}", image="api:1.0", ports=[8080], env={"DB": db.host}))
    context = Context(app, validate(app)[0])
    profile = cProfile.Profile()
    profile.enable()
    for check in CHECKS:
        list(check(context))
    profile.disable()
    return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def test_checks_are_linear_in_the_number_of_tiers() -> None:
    """Four times the tiers: about four times the calls, never sixteen. (Time is
    measured by ``benchmarks/run.py``, not here.)"""
    small, large = _calls_made_by_checks(100), _calls_made_by_checks(400)
    assert small > 1000
    assert large <= small * 4 * 1.05, (small, large)


def _readme_validation() -> str:
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    return text.split("\n## ", 1)[0]


def test_readme_messages_are_real_output() -> None:
    outputs = "".join(p.read_text() for p in sorted(BAD.glob("*.expected")))
    section = _readme_validation()
    rows = [line for line in section.splitlines() if line.startswith("| ") and line.endswith("` |")]
    examples = [row.rsplit("| `", 1)[1].rsplit("` |", 1)[0] for row in rows]
    assert len(examples) >= 25
    for example in examples:
        for fragment in example.split("..."):
            assert fragment.strip(" .()") in outputs, example
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    expected = (BAD / "several_errors.expected").read_text()
    assert all(line in expected for line in block.splitlines() if line != "...")


@pytest.mark.parametrize(
    ("case", "line", "message"),
    [
        ("user_code_raises", 9, "ValueError: invalid literal for int() with base 10: 'three'"),
        ("syntax_error", 5, "SyntaxError: '(' was never closed"),
    ],
)
def test_json_reports_an_app_that_raises(
    case: str, line: int, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _, code = _invoke(
        "validate", f"tests/bad/{case}.py", "--format", "json", monkeypatch=monkeypatch
    )
    assert code == 1
    found = json.loads(out)
    assert [(d["file"], d["line"], d["code"], d["message"]) for d in found] == [
        (f"tests/bad/{case}.py", line, "app-raised", message)
    ]


ACCEPTED = {"node_agent": {"host-path"}}
"""Examples whose tiers accept a true warning: the node agent mounts the node's /proc and /sys."""


@pytest.mark.parametrize("example", sorted(p.stem for p in (ROOT / "examples").glob("*.py")))
def test_every_example_passes_strict_and_accepts_only_what_it_must(example: str) -> None:
    app = load_app(str(ROOT / "examples" / f"{example}.py"))
    diagnostics = validate(app)[1]
    assert [str(d) for d in diagnostics if d.severity != "accepted"] == []
    assert {d.code for d in diagnostics} == ACCEPTED.get(example, set())
