"""Checks of env vars: their names, and literal values Kubernetes would expand."""

from __future__ import annotations

from collections.abc import Iterator

from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic


def check_env_names(context: Context) -> Iterator[Diagnostic]:
    """Env var names are C identifiers (``[A-Za-z_][A-Za-z0-9_]*``)."""
    for tier in context.resolved.tiers:
        for container in tier.workload.containers:
            for var in container.env:
                reason = rules.env_name(var.name)
                if reason:
                    example = _suggest_env(var.name)
                    message = (
                        f"'{var.name}' is not a valid env var name: {reason}. "
                        f"For example '{example}'."
                    )
                    yield context.error("env-name", message, tier, var.origin)


def _suggest_env(name: str) -> str:
    text = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in name)
    text = text.upper().strip("_") or "VALUE"
    return f"_{text}" if text[0].isdigit() else text


def check_unique_env(context: Context) -> Iterator[Diagnostic]:
    """No env var is set twice in a container (Kubernetes keeps only the last)."""
    for tier in context.resolved.tiers:
        for container in tier.workload.containers:
            seen: dict[str, str] = {}
            for var in container.env:
                first = seen.setdefault(var.name, var.origin)
                if first != var.origin:
                    message = (
                        f"'{var.name}' is already set ({first}); Kubernetes would keep only "
                        "the last value. Set it once"
                    )
                    yield context.error("env-duplicate", message, tier, var.origin)


def check_env_expansion(context: Context) -> Iterator[Diagnostic]:
    """Warn about ``$(`` in a literal value: Kubernetes expands ``$(NAME)``."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for name, value in written.env.items():
            if isinstance(value, str) and "$(" in value.replace("$$", ""):
                message = (
                    "Kubernetes expands $(NAME) in env values to another variable's value; "
                    "write $$( for a literal '$(', or pass the value another way"
                )
                yield context.warning("env-expansion", message, tier, f"env.{name}")
