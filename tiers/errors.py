"""The exceptions tiers raises. The library never prints and never exits;
the CLI turns these into messages and exit codes."""

from __future__ import annotations

from tiers.diagnostics import Diagnostic
from tiers.location import UNKNOWN, Location


class TiersError(Exception):
    """Base of every error tiers raises on purpose."""


class UsageError(TiersError):
    """The command was called wrongly: a missing file, an APP that names no app."""


class InvalidAppError(TiersError):
    """The app has errors; ``diagnostics`` lists all of them (and its warnings).

    ``str()`` is what ``tiers validate`` prints: one line a problem, then the count.

    >>> from tiers import App, Backend, compile_app
    >>> app = App("shop")
    >>> api = app.add(Backend("api", image="api:1.0"))
    >>> web = app.add(Backend("web", image="web:1.0", env={"API": api.url(port=8080)}))
    >>> try:
    ...     compile_app(app)
    ... except InvalidAppError as error:
    ...     print(str(error).splitlines()[-1])
    1 error(s), 0 warning(s)
    """

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(summary(diagnostics))

    def __str__(self) -> str:
        return "\n".join([*(str(d) for d in self.diagnostics), summary(self.diagnostics)])


def summary(diagnostics: list[Diagnostic]) -> str:
    """The closing line of a list of problems: ``2 error(s), 1 warning(s)``."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return f"{errors} error(s), {len(diagnostics) - errors} warning(s)"


class UserCodeError(TiersError):
    """The user's own module raised while it was loaded.

    ``frames`` holds the traceback lines that belong to the user's files only;
    ``location`` is the innermost of them (or the line of a syntax error).
    """

    def __init__(
        self, app: str, summary: str, frames: list[str], location: Location = UNKNOWN
    ) -> None:
        self.app = app
        self.summary = summary
        self.frames = frames
        self.location = location
        super().__init__(summary)

    def diagnostic(self) -> Diagnostic:
        """The error as a diagnostic, for ``--format json``."""
        message = self.summary.removeprefix(f"{self.location}: ")
        return Diagnostic("error", "app-raised", message, location=self.location)


class OutputError(TiersError):
    """Output could not be written without losing a file tiers did not write."""


class ImportInputError(TiersError):
    """An input of ``tiers import`` is not valid YAML; the message names the file and line."""


class ImportFailedError(TiersError):
    """The imported objects make an app with errors; ``problems`` lists them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"the imported objects make an invalid app ({len(problems)} error(s))")
