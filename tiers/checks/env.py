"""Checks of env vars: their names, and literal values Kubernetes would expand."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean
from tiers.resolve.containers import owners

_EXPANSION = re.compile(r"\$\(([^)]*)\)")


def check_env_names(context: Context) -> Iterator[Diagnostic]:
    """Env var names are C identifiers (``[A-Za-z_][A-Za-z0-9_]*``)."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
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
        for container in tier.workload.pod_containers():
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
    """Warn about ``$(`` in a literal value: Kubernetes expands ``$(NAME)`` to the
    value of an env var defined before it, and leaves it as written otherwise."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is None:
            continue
        for origin, owner in owners(written):
            names = list(owner.env)
            for index, (name, value) in enumerate(owner.env.items()):
                if isinstance(value, str) and "$(" in value.replace("$$", ""):
                    message = _expansion(value.replace("$$", ""), names[:index], names)
                    field = ir.field_path(origin, f"env.{name}")
                    yield context.warning("env-expansion", message, tier, field)


def _expansion(value: str, before: list[str], names: list[str]) -> str:
    keep = "; write $$( for a literal '$('"
    used = _EXPANSION.findall(value)
    for wanted in used:
        if wanted in before:
            return f"Kubernetes replaces $({wanted}) with the value of env {wanted}" + keep
        if wanted in names:
            return (
                f"$({wanted}) refers to env {wanted}, which is set after this one, so "
                f"Kubernetes leaves it as written; set {wanted} first" + keep
            )
    if used:
        hint = did_you_mean(used[0], names)
        return (
            f"$({used[0]}) looks like a Kubernetes expansion, but the container has no env "
            f"{used[0]}, so it stays as written.{hint} Write $$( for a literal '$('"
        )
    return "Kubernetes expands $(NAME) in env values" + keep
