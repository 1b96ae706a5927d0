"""The rules Kubernetes applies to names, labels and ports, as plain functions.

Each rule takes a value and returns ``None`` when it is valid, or the reason it
is not, phrased as the fix (``"use at most 63 characters"``). The rules follow
``k8s.io/apimachinery/pkg/util/validation``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = Callable[[str], "str | None"]

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_PORT_NAME = re.compile(r"[-a-z0-9]+")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

LABEL_TEXT = "lowercase letters, digits and '-', starting and ending with a letter or digit"
DNS1035_TEXT = (
    "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
)
SUBDOMAIN_TEXT = (
    "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
)
QUALIFIED_TEXT = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit"


def _matching(pattern: re.Pattern[str], text: str, value: str, limit: int) -> str | None:
    if not value:
        return f"it is empty; use {text}"
    if len(value) > limit:
        return f"it is {len(value)} characters long; use at most {limit}"
    if not pattern.fullmatch(value):
        return f"use {text}"
    return None


def dns1123_label(value: str, limit: int = 63) -> str | None:
    """A DNS-1123 label (RFC 1123): Namespace, container and Service port names."""
    return _matching(_LABEL, LABEL_TEXT, value, limit)


def dns1035_label(value: str) -> str | None:
    """A DNS-1035 label (RFC 1035): Service names."""
    return _matching(_DNS1035, DNS1035_TEXT, value, 63)


def dns1123_subdomain(value: str, limit: int = 253) -> str | None:
    """A DNS-1123 subdomain: Deployment names (StatefulSet names: at most 52)."""
    return _matching(_SUBDOMAIN, SUBDOMAIN_TEXT, value, limit)


def label_key(key: str) -> str | None:
    """A label or annotation key: an optional DNS subdomain prefix and ``/``,
    then a name of at most 63 characters."""
    prefix, slash, name = key.rpartition("/")
    if slash:
        problem = dns1123_subdomain(prefix)
        if problem:
            return f"its prefix '{prefix}' must be a DNS subdomain: {problem}"
    return _matching(_QUALIFIED, QUALIFIED_TEXT, name, 63)


def label_value(value: str) -> str | None:
    """A label value: empty, or at most 63 of the allowed characters."""
    return None if value == "" else _matching(_QUALIFIED, QUALIFIED_TEXT, value, 63)


def port_name(name: str) -> str | None:
    """An IANA service name: a container port's name, a Service's named targetPort."""
    base = "use at most 15 lowercase letters, digits and '-', with at least one letter"
    if not name or len(name) > 15 or not _PORT_NAME.fullmatch(name):
        size = f"it is {len(name)} characters long; " if len(name) > 15 else ""
        return size + base
    if not any(c.isalpha() for c in name):
        return "it has no letter; " + base
    if name.startswith("-") or name.endswith("-") or "--" in name:
        return "it must not start or end with '-' or contain '--'"
    return None


def env_name(name: str) -> str | None:
    """A portable env var name: a C identifier, as shells and most programs expect."""
    if _C_IDENTIFIER.fullmatch(name):
        return None
    return (
        "use letters, digits and '_', not starting with a digit (the portable rule; "
        "Kubernetes 1.34 accepts more, but shells and most programs cannot read such names)"
    )


def suggest_name(value: str, limit: int = 63, letter_first: bool = False) -> str:
    """A valid DNS label close to ``value``: ``'My_App'`` → ``'my-app'``."""
    text = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:limit].strip("-")
    if letter_first and text and not text[0].isalpha():
        text = ("x-" + text)[:limit].strip("-")
    return text or "app"
