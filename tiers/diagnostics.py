"""Diagnostics: what is wrong with an app, where, and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tiers.location import UNKNOWN, Location, display_path

Severity = Literal["error", "warning", "accepted"]
"""``accepted``: a warning the tier's ``accept`` names, with the reason given."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem in an app.

    ``field`` is the path of the offending field inside the tier
    (``ports[1].target_port``), ``code`` a stable identifier for tools
    (``service-target-port``), ``message`` the sentence a person reads,
    ending with the fix.
    """

    severity: Severity
    code: str
    message: str
    tier: str | None = None
    field: str | None = None
    location: Location = UNKNOWN
    reason: str | None = None
    """Why an accepted warning is accepted (the tier's ``accept``)."""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        rank = 0 if self.severity == "error" else 1
        return (self.location.file, self.location.line, rank, self.tier or "", self.message)

    def __str__(self) -> str:
        subject = []
        if self.tier is not None:
            subject.append(f"tier '{self.tier}'")
        if self.field:
            subject.append(self.field)
        head = ", ".join(subject)
        body = f"{head}: {self.message}" if head else self.message
        why = f" (why: {self.reason})" if self.reason is not None else ""
        return f"{self.location}: {self.severity}: {body}{why}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": display_path(self.location.file),
            "line": self.location.line,
            "severity": self.severity,
            "tier": self.tier,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **({"reason": self.reason} if self.reason is not None else {}),
        }


def error(code: str, message: str, **where: object) -> Diagnostic:
    return Diagnostic("error", code, message, **where)  # type: ignore[arg-type]


def warning(code: str, message: str, **where: object) -> Diagnostic:
    return Diagnostic("warning", code, message, **where)  # type: ignore[arg-type]


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.sort_key(), d.code, d.field): d for d in diagnostics}
    return [unique[key] for key in sorted(unique, key=lambda k: (k[0], k[1], k[2] or ""))]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest choice, or an empty string."""
    import difflib  # only when there is a mistake to name

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{matches[0]}'?" if matches else ""
