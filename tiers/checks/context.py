"""What every check sees: the app as written and as resolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from tiers import ir, model
from tiers.location import UNKNOWN, Location


@dataclass
class Context:
    app: model.App
    resolved: ir.App
    tiers: dict[str, model.Tier] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tier in self.app.tiers:
            self.tiers.setdefault(tier.name, tier)

    def location(self, tier: ir.Tier) -> Location:
        return tier.location if tier.location is not UNKNOWN else self.resolved.location
