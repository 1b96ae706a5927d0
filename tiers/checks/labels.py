"""Checks of labels, selectors and annotations, as the user wrote them."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic

ANNOTATIONS_LIMIT = 256 * 1024
"""The total size of an object's annotations (keys and values), in bytes."""


def _label_maps(context: Context, tier: ir.Tier) -> Iterator[tuple[str, dict[str, str]]]:
    written = context.model(tier)
    if written is None:
        return
    yield "labels", written.labels
    if written.selector is not None:
        yield "selector", written.selector
    for index, service in enumerate(written.services or []):
        yield f"services[{index}].labels", service.labels
    if written.service_account is not None:
        yield "service_account.labels", written.service_account.labels


def _annotation_maps(context: Context, tier: ir.Tier) -> Iterator[tuple[str, dict[str, str]]]:
    written = context.model(tier)
    if written is None:
        return
    yield "annotations", written.annotations
    for index, service in enumerate(written.services or []):
        yield f"services[{index}].annotations", service.annotations
    if written.service_account is not None:
        yield "service_account.annotations", written.service_account.annotations


def check_label_keys(context: Context) -> Iterator[Diagnostic]:
    """Label and selector keys: an optional DNS subdomain prefix, a name of at most 63."""
    for tier in context.resolved.tiers:
        for field, labels in _label_maps(context, tier):
            for key in labels:
                reason = rules.label_key(key)
                if reason:
                    message = f"'{key}' is not a valid label key: {reason}"
                    yield context.error("label-key", message, tier, f"{field}.{key}")


def check_label_values(context: Context) -> Iterator[Diagnostic]:
    """Label and selector values: empty, or at most 63 letters, digits, '-', '_', '.'."""
    for tier in context.resolved.tiers:
        for field, labels in _label_maps(context, tier):
            for key, value in labels.items():
                reason = rules.label_value(value)
                if reason:
                    example = rules.suggest_name(value)
                    message = (
                        f"'{value}' is not a valid label value: {reason}. For example '{example}'."
                    )
                    yield context.error("label-value", message, tier, f"{field}.{key}")
        yield from _component(context, tier)


def _component(context: Context, tier: ir.Tier) -> Iterator[Diagnostic]:
    written = context.model(tier)
    if written is None or written.component is None:
        return
    reason = rules.label_value(written.component)
    if reason:
        example = rules.suggest_name(written.component)
        message = (
            f"'{written.component}' is not a valid label value (it is the value of the "
            f"app.kubernetes.io/component label): {reason}. For example '{example}'."
        )
        yield context.error("label-value", message, tier, "component")


def check_empty_selector(context: Context) -> Iterator[Diagnostic]:
    """A selector needs at least one label, or it would select every pod of the namespace."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if written is not None and written.selector == {}:
            message = (
                "is empty, so it would select every pod in the namespace. Leave it out "
                "(the default selects this tier's pods) or give it at least one label"
            )
            yield context.error("selector-empty", message, tier, "selector")


def check_annotations(context: Context) -> Iterator[Diagnostic]:
    """Annotation keys follow the label key rule; all of an object's annotations
    fit in 256 KiB."""
    for tier in context.resolved.tiers:
        for field, notes in _annotation_maps(context, tier):
            for key in notes:
                reason = rules.label_key(key)
                if reason:
                    message = f"'{key}' is not a valid annotation key: {reason}"
                    yield context.error("annotation-key", message, tier, f"{field}.{key}")
            size = sum(_size(k) + _size(v) for k, v in notes.items())
            if size > ANNOTATIONS_LIMIT:
                message = (
                    f"the annotations take {size} bytes; Kubernetes allows {ANNOTATIONS_LIMIT} "
                    "in all. Move large data into a ConfigMap"
                )
                yield context.error("annotations-size", message, tier, field)


def _size(text: str) -> int:
    """The bytes of ``text`` in UTF-8 (a lone surrogate, reported elsewhere, as 3)."""
    return len(text.encode(errors="surrogatepass"))
