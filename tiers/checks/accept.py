"""Warnings a tier accepts: ``accept={code: why}`` on the tier.

A warning whose code the tier accepts becomes ``accepted``: printed with the
reason, not counted as a warning, so ``--strict`` passes on an app whose every
warning is known and wanted (a node agent's host paths). Each acceptance must
say why (an empty reason is an error) and must still be needed: one the tier
is not warned about is itself a warning, once every check has run. Errors
cannot be accepted.
"""

from __future__ import annotations

from dataclasses import replace

from tiers.diagnostics import Diagnostic, error, warning
from tiers.model import app as model
from tiers.model.base import defined_at


def accepted(app: model.App, diagnostics: list[Diagnostic], complete: bool) -> list[Diagnostic]:
    """``diagnostics`` with the warnings the tiers accept marked so, and the
    problems of the acceptances; unneeded ones only when ``complete`` (every
    check ran)."""
    accepts = {
        t.name: t
        for t in app.tiers
        if isinstance(t, model.Tier) and isinstance(t.name, str) and isinstance(t.accept, dict)
    }
    found: list[Diagnostic] = []
    used: set[tuple[str, str]] = set()
    for diagnostic in diagnostics:
        name = diagnostic.tier or ""
        why = accepts[name].accept.get(diagnostic.code) if name in accepts else None
        if diagnostic.severity == "warning" and isinstance(why, str) and why.strip():
            found.append(replace(diagnostic, severity="accepted", reason=why.strip()))
            used.add((name, diagnostic.code))
        else:
            found.append(diagnostic)
    errors = {(d.tier, d.code) for d in diagnostics if d.severity == "error"}
    for tier in accepts.values():
        for code, why in tier.accept.items():
            where = {"tier": tier.name, "field": f"accept[{code!r}]", "location": defined_at(tier)}
            if not isinstance(why, str) or not why.strip():
                message = (
                    f"accepts '{code}' without saying why: give the reason, "
                    f"as accept={{'{code}': '...'}}"
                )
                found.append(error("accept-reason", message, **where))
            elif complete and (tier.name, code) not in used:
                hint = (
                    " (an error cannot be accepted: fix it)" if (tier.name, code) in errors else ""
                )
                message = (
                    f"accepts '{code}', which the tier is not warned about{hint}: "
                    "remove it from accept"
                )
                found.append(warning("accept-unused", message, **where))
    return found
