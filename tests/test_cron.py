"""Cron schedules: tiers' checker against the data in ``tests/cron/schedules.txt``
and against robfig/cron itself (the parser the API server validates CronJobs
with, built from Debian's package), on that data and on random schedules."""

from __future__ import annotations

import doctest
import random
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tools import cron_oracle
from tiers.checks import cron
from tiers.checks.cron import schedule_problem

DATA = ROOT / "tests" / "cron" / "schedules.txt"
STRICTER = "stricter: "


def _cases() -> list[tuple[str, str]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    pairs = [line.split(" => ", 1) for line in lines if line and not line.startswith("#")]
    return [(schedule, expected) for schedule, expected in pairs]


CASES = _cases()


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cron_oracle(tmp_path_factory.mktemp("cron"))


def _robfig_accepts(oracle: Path, schedules: list[str]) -> list[bool]:
    text = "".join(f"{s}\n" for s in schedules)
    done = subprocess.run([str(oracle)], input=text, capture_output=True, text=True, check=True)
    return [line == "ok" for line in done.stdout.splitlines()]


@pytest.mark.parametrize(("schedule", "expected"), CASES)
def test_each_schedule_gets_its_verdict(schedule: str, expected: str) -> None:
    problem = schedule_problem(schedule)
    if expected == "ok":
        assert problem is None
    else:
        assert problem is not None and problem.startswith(expected.removeprefix(STRICTER))


def test_the_data_agrees_with_robfig_cron_but_where_it_says_stricter(oracle: Path) -> None:
    accepted = _robfig_accepts(oracle, [s for s, _ in CASES])
    for (schedule, expected), robfig in zip(CASES, accepted, strict=True):
        assert robfig == (expected == "ok" or expected.startswith(STRICTER)), schedule


def test_the_oracle_can_fail(oracle: Path) -> None:
    assert _robfig_accepts(oracle, ["0 2 * * *", "0 2 * * 7", "nonsense"]) == [True, False, False]


TOKENS = ["*", "?", "0", "1", "5", "7", "12", "23", "24", "31", "59", "60", "jan", "DEC", "Mon"]
TOKENS += ["sun", "x", "", "-", "/", "*/", "+3", "0x1", " "]
MACROS = [*cron.MACROS, "@every 1h", "@every 5", "@every 1.5h", "@every -1h", "@daily ", "@ever 1h"]


def _random_schedule(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(MACROS)
    item = lambda: "".join(rng.choices(TOKENS, k=rng.randint(1, 4)))  # noqa: E731
    field = lambda: ",".join(item() for _ in range(rng.randint(1, 3)))  # noqa: E731
    return " ".join(field() for _ in range(rng.randint(4, 6)))


def test_random_schedules_tiers_accepts_are_those_robfig_accepts(oracle: Path) -> None:
    rng = random.Random(15)
    schedules = [_random_schedule(rng) for _ in range(20000)]
    accepted = _robfig_accepts(oracle, schedules)
    assert 500 < sum(accepted) < 19500  # both verdicts are exercised
    for schedule, robfig in zip(schedules, accepted, strict=True):
        ours = schedule_problem(schedule) is None
        if ours:
            assert robfig, f"tiers accepts {schedule!r}, which Kubernetes refuses"
        elif robfig:
            assert _stricter_on_purpose(schedule), f"{schedule!r}: {schedule_problem(schedule)}"


def _stricter_on_purpose(schedule: str) -> bool:
    """The documented cases: an empty list item, text after '*', a negative duration."""
    items = [item for f in schedule.split() for item in f.split(",")]
    after_star = any(i[:1] in ("*", "?") and i.split("/")[0] not in ("*", "?") for i in items if i)
    return "" in items or after_star or schedule.startswith("@every -")


def test_the_module_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(cron)
    assert tried > 0 and failures == 0
