"""What every check sees: the app as written and as resolved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tiers import ir
from tiers.diagnostics import Diagnostic, Severity
from tiers.location import UNKNOWN, Location
from tiers.model import app as model
from tiers.model.base import defined_at

_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


@dataclass
class Context:
    app: model.App
    resolved: ir.App
    tiers: dict[tuple[str, Location], model.Tier] = field(default_factory=dict)

    _written: dict[int, model.Tier] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for tier in self.app.tiers:
            if isinstance(tier, model.Tier) and isinstance(tier.name, str):
                self.tiers.setdefault((tier.name, defined_at(tier)), tier)
        for resolved in self.resolved.tiers:
            written = self.tiers.get((resolved.name, resolved.location))
            if written is not None:
                self._written[id(resolved)] = written

    def location(self, tier: ir.Tier) -> Location:
        return tier.location if tier.location is not UNKNOWN else self.resolved.location

    def model(self, tier: ir.Tier) -> model.Tier | None:
        """The tier as the user wrote it."""
        return self._written.get(id(tier))

    def locate(self, tier: ir.Tier, origin: str) -> Location:
        """The line that created the object at ``origin`` (``services[0].ports[1]``)
        inside ``tier``: a Port or Service made on its own line, else the tier's line."""
        where = self.location(tier)
        for obj in self._path(tier, origin):
            found = defined_at(obj)
            if found is not UNKNOWN:
                where = found
        return where

    def locate_object(self, tier: ir.Tier, origin: str) -> object | None:
        """The model object (a Port, a Service, ...) at ``origin``, or ``None``
        when it is a plain value."""
        steps = list(self._path(tier, origin))
        obj = steps[-1] if steps else None
        return obj if defined_at(obj) is not UNKNOWN else None

    def _path(self, tier: ir.Tier, origin: str) -> Iterator[object]:
        obj: object = self.model(tier)
        for match in _STEP.finditer(origin):
            obj = _step(obj, match.group(1), match.group(2))
            yield obj

    def report(
        self, severity: Severity, code: str, message: str, tier: ir.Tier, field: str
    ) -> Diagnostic:
        """A diagnostic about ``field`` of ``tier``, at the line that defined it."""
        return Diagnostic(severity, code, message, tier.name, field, self.locate(tier, field))

    def error(self, code: str, message: str, tier: ir.Tier, field: str) -> Diagnostic:
        return self.report("error", code, message, tier, field)

    def warning(self, code: str, message: str, tier: ir.Tier, field: str) -> Diagnostic:
        return self.report("warning", code, message, tier, field)


def _step(obj: object, attr: str | None, index: str | None) -> object:
    if attr is not None:
        return getattr(obj, attr, None)
    if isinstance(obj, list) and index is not None and int(index) < len(obj):
        return obj[int(index)]
    return None
