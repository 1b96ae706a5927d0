"""Cron schedules as Kubernetes reads them (the standard five fields of
``robfig/cron``, which the CronJob controller and the API server use), as a
plain function: :func:`schedule_problem` returns ``None`` for a valid schedule
or the reason it is not, phrased as the fix.

Five fields, separated by spaces: minute (0-59), hour (0-23), day of month
(1-31), month (1-12 or ``JAN``-``DEC``) and day of week (0-6 or
``SUN``-``SAT``, Sunday is 0). Each field is a list of items separated by
``,``; an item is ``*`` (or ``?``), a value, a range ``a-b``, each optionally
with a step ``/n`` (``*/15``, ``1-30/2``, ``5/10`` for ``5-max/10``). Names
are case-insensitive. Instead of the fields, a macro: ``@yearly`` (or
``@annually``), ``@monthly``, ``@weekly``, ``@daily`` (or ``@midnight``),
``@hourly``, or ``@every <duration>`` (a Go duration such as ``1h30m``).

A few things ``robfig/cron`` lets through are refused here, because they are
typos more often than intent: an empty list item (``1,,2``), text after a
``*`` (``*-5``) and a negative ``@every`` duration. ``TZ=``/``CRON_TZ=`` in
the schedule is refused, as the API server refuses it: the CronJob's
``timeZone`` says it.

>>> schedule_problem("0 2 * * *") is None
True
>>> schedule_problem("0 24 * * *")
"the hour field's 24 is above 23"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
EVERY = "@every "
_DURATION = re.compile(r"^[+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$")
_NUMBER = re.compile(r"^\+?\d+$")


@dataclass(frozen=True)
class Field:
    """One field of a schedule: its name, bounds and value names."""

    name: str
    low: int
    high: int
    names: dict[str, int] = field(default_factory=dict)
    hint: str = ""


FIELDS = (
    Field("minute", 0, 59),
    Field("hour", 0, 23),
    Field("day-of-month", 1, 31),
    Field("month", 1, 12, {m: i for i, m in enumerate(MONTHS, 1)}, "JAN-DEC"),
    Field("day-of-week", 0, 6, {d: i for i, d in enumerate(DAYS)}, "SUN-SAT"),
)

SYNTAX = (
    "a schedule is five fields: minute (0-59), hour (0-23), day of month (1-31), "
    "month (1-12 or JAN-DEC) and day of week (0-6 or SUN-SAT, Sunday is 0), each '*', "
    "a value, a range 'a-b', a list 'a,b' or a step '*/n'; or a macro (@hourly, @daily, "
    "@weekly, @monthly, @yearly, @every 2h). For example '0 2 * * *' runs every day at 02:00"
)
"""What every schedule error ends with."""


def schedule_problem(schedule: str) -> str | None:
    """Why ``schedule`` is not a valid Kubernetes cron schedule, or ``None``."""
    if not schedule.strip():
        return "it is empty"
    if schedule.startswith(("TZ=", "CRON_TZ=")):
        return "it starts with a time zone: set CronJob(..., time_zone=...) instead"
    if schedule.startswith("@"):
        return _macro_problem(schedule)
    parts = schedule.split()
    if len(parts) != len(FIELDS):
        return _count_problem(parts)
    for spec, part in zip(FIELDS, parts, strict=True):
        problem = _field_problem(spec, part)
        if problem:
            return problem
    return None


def _count_problem(parts: list[str]) -> str:
    if len(parts) == 6:
        return "it has 6 fields: Kubernetes schedules have no seconds field, drop the first"
    return f"it has {len(parts)} field{'s' if len(parts) != 1 else ''}, not 5"


def _macro_problem(text: str) -> str | None:
    if text in MACROS:
        return None
    if text.startswith(EVERY):
        duration = text[len(EVERY) :]
        if _DURATION.match(duration) or duration == "0":
            return None
        return f"'{duration}' is not a duration: write it as Go does, for example '1h30m' or '90s'"
    import difflib  # only when there is a mistake to name

    close = difflib.get_close_matches(text.lower(), [*MACROS, EVERY.strip()], n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    listed = "@yearly, @monthly, @weekly, @daily, @hourly, @every ..."
    return f"'{text}' is not a macro ({listed}).{hint}"


def _field_problem(spec: Field, text: str) -> str | None:
    for item in text.split(","):
        problem = _item_problem(spec, item) if item else "has an empty item between commas"
        if problem:
            joiner = "" if problem.startswith("'s ") else " "
            return f"the {spec.name} field{joiner}{problem}"
    return None


def _item_problem(spec: Field, item: str) -> str | None:
    base, slash, step = item.partition("/")
    if slash and "/" in step:
        return f"has too many '/' in '{item}'"
    if slash:
        problem = _step_problem(step)
        if problem:
            return problem
    if base in ("*", "?"):
        return None
    if base.startswith(("*", "?")):
        return f"has '{item}': nothing may follow '*' but a step ('*/5')"
    return _range_problem(spec, base)


def _step_problem(step: str) -> str | None:
    if not _NUMBER.match(step):
        return f"has the step '{step}', which is not a number"
    if int(step) == 0:
        return "has the step 0: a step is at least 1"
    return None


def _range_problem(spec: Field, base: str) -> str | None:
    ends = base.split("-")
    if len(ends) > 2:
        return f"has '{base}': a range is 'a-b', with one '-'"
    values = []
    for end in ends:
        value = _value(spec, end)
        if isinstance(value, str):
            return value
        values.append(value)
    problem = next((p for v in values if (p := _bound_problem(spec, v))), None)
    if problem:
        return problem
    if len(values) == 2 and values[0] > values[1]:
        return f"has the range {base}, which goes backwards: write {ends[1]}-{ends[0]}"
    return None


def _value(spec: Field, text: str) -> int | str:
    """The number ``text`` stands for, or why it stands for none."""
    if _NUMBER.match(text):
        return int(text)
    if text.lower() in spec.names:
        return spec.names[text.lower()]
    if not text:
        return "has a range with a missing end"
    if spec.names:
        import difflib  # only when there is a mistake to name

        close = difflib.get_close_matches(text.lower(), list(spec.names), n=1)
        hint = f" Did you mean '{close[0].upper()}'?" if close else ""
        return f"has '{text}', which is not a number or a name ({spec.hint}).{hint}"
    return f"has '{text}', which is not a number ({spec.low}-{spec.high})"


def _bound_problem(spec: Field, value: int) -> str | None:
    if value < spec.low:
        return f"'s {value} is below {spec.low}"
    if value > spec.high:
        sunday = " (Sunday is 0)" if spec.name == "day-of-week" and value == 7 else ""
        return f"'s {value} is above {spec.high}{sunday}"
    return None
