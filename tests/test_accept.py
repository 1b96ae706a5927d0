"""A tier's ``accept``: a warning it names is shown as accepted with the
reason and not counted (``--strict`` passes); an empty reason is an error; an
acceptance nothing needs, or one naming an error, is a warning. The node
agent without its acceptance is the negative control: ``--strict`` fails."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import ROOT
from tiers import App, DaemonSet, HostPath
from tiers.cli import main
from tiers.compiler import validate

AGENT = ROOT / "examples" / "node_agent.py"


def _agent(accept: dict[str, str], path: str = "/proc") -> App:
    app = App("node-metrics", namespace="monitoring")
    app.add(
        DaemonSet(
            "agent",
            image="quay.io/prometheus/node-exporter:v1.8.2",
            host_paths=[HostPath(path, "/host/proc")],
            accept=accept,
        )
    )
    return app


def test_an_accepted_warning_is_shown_with_its_reason_and_not_counted() -> None:
    [found] = validate(_agent({"host-path": "reads the node's /proc"}))[1]
    assert (found.severity, found.code, found.tier) == ("accepted", "host-path", "agent")
    assert str(found).endswith("(why: reads the node's /proc)")
    assert found.as_json()["reason"] == "reads the node's /proc"


def test_without_accept_the_same_app_warns() -> None:
    [found] = validate(_agent({}))[1]
    assert (found.severity, found.code) == ("warning", "host-path")
    assert found.reason is None and "reason" not in found.as_json()


def test_an_empty_reason_is_an_error_at_the_tier() -> None:
    found = validate(_agent({"host-path": "  "}))[1]
    [problem] = [d for d in found if d.severity == "error"]
    assert (problem.code, problem.field) == ("accept-reason", "accept['host-path']")
    assert problem.location.file.endswith("test_accept.py")
    assert "give the reason" in problem.message
    assert [d.severity for d in found if d.code == "host-path"] == ["warning"]


def test_an_acceptance_nothing_needs_is_a_warning() -> None:
    found = validate(_agent({"host-path": "reads /proc", "image-unpinned": "it is pinned"}))[1]
    unused = [d for d in found if d.code == "accept-unused"]
    assert [(d.severity, d.field) for d in unused] == [("warning", "accept['image-unpinned']")]
    assert "remove it from accept" in unused[0].message


def test_an_error_cannot_be_accepted() -> None:
    found = validate(_agent({"host-path": "reads /proc"}, path="proc"))[1]
    assert [(d.severity, d.code) for d in found] == [("error", "host-path")]


def test_strict_passes_on_the_node_agent_and_fails_without_its_acceptance(tmp_path: Path) -> None:
    runner = CliRunner()
    accepted = runner.invoke(main, ["validate", "--strict", str(AGENT)])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.endswith("0 error(s), 0 warning(s), 2 accepted\n")
    control = tmp_path / "agent.py"
    source = AGENT.read_text()
    assert "        accept=" in source
    control.write_text("".join(x for x in source.splitlines(True) if "accept=" not in x))
    warned = runner.invoke(main, ["validate", "--strict", str(control)])
    assert warned.exit_code == 1
    assert warned.output.endswith("0 error(s), 2 warning(s)\n")
    built = runner.invoke(main, ["build", "--strict", str(control)])
    assert built.exit_code == 1 and "apiVersion" not in built.stdout
    listed = json.loads(runner.invoke(main, ["validate", "--format", "json", str(AGENT)]).stdout)
    assert {d["severity"] for d in listed} == {"accepted"}
