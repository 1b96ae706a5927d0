"""The grammars of values Kubernetes passes on: image references, URL paths,
DNS domains (URL schemes are checked where references resolve, in
:mod:`tiers.resolve.wiring`).

Each rule takes a value and returns ``None`` when it is valid, or the reason
it is not, phrased as the fix, like :mod:`tiers.checks.rules`.

Image references follow the grammar of the OCI distribution reference
(``github.com/distribution/reference``, which containerd, CRI-O and Docker
parse with)::

    reference        := name [ ":" tag ] [ "@" digest ]
    name             := [ domain "/" ] remote-name
    domain           := host [ ":" port-number ]
    host             := domain-name | "[" IPv6address "]"
    domain-name      := domain-component [ "." domain-component ]*
    domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    port-number      := /[0-9]+/
    remote-name      := path-component [ "/" path-component ]*
    path-component   := alpha-numeric [ separator alpha-numeric ]*
    alpha-numeric    := /[a-z0-9]+/
    separator        := /[_.]|__|[-]+/
    tag              := /[\\w][\\w.-]{0,127}/
    digest           := algorithm ":" hex        (at least 32 hex digits)
    algorithm        := /[A-Za-z][A-Za-z0-9]*/ [ /[-_+.]/ /[A-Za-z][A-Za-z0-9]*/ ]*

and the name (domain and path) is at most 255 characters.

>>> image_reference("registry.example.com:5000/team/app:1.2@sha256:" + "a" * 64) is None
True
>>> image_reference("Nginx:1.27")
"the path 'Nginx' must be lowercase: use 'nginx:1.27'"
"""

from __future__ import annotations

import re

from tiers.checks.rules import dns1123_subdomain

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN = rf"(?:{_DOMAIN_NAME}|{_IPV6})(?::[0-9]+)?"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_NAME = rf"(?:{_DOMAIN}/)?{_REMOTE_NAME}"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
"""An image reference: groups name, tag and digest."""
NAME_MAX = 255
EXAMPLE_IMAGE = "registry.example.com/team/app:1.2.3"

PATH_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*", re.ASCII)
"""What a URL's path (with a query and fragment) may hold, percent-encoded
otherwise (RFC 3986, section 3.3)."""


def image_reference(value: str) -> str | None:
    """An image reference by the OCI distribution grammar (see the module)."""
    if not value:
        return "it is empty: name the image to run, for example 'nginx:1.27.3'"
    if REFERENCE.fullmatch(value) is None:
        return _image_problem(value)
    name = REFERENCE.fullmatch(value).group(1)  # type: ignore[union-attr]
    if len(name) > NAME_MAX:
        return f"its name is {len(name)} characters long; use at most {NAME_MAX}"
    return None


def _image_problem(value: str) -> str:
    """Why ``value`` is not a reference: the part that breaks the grammar."""
    name, _, digest = value.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else None
    path = name[: len(name) - len(tag) - 1] if tag is not None else name
    if digest and not re.fullmatch(_DIGEST, digest, re.ASCII):
        return f"the digest '{digest}' is not algorithm:hex (for example 'sha256:<64 hex digits>')"
    if tag is not None and not re.fullmatch(_TAG, tag, re.ASCII):
        shown = tag if len(tag) <= 40 else tag[:40] + "..."
        return (
            f"the tag '{shown}' ({len(tag)} characters) may hold only letters, digits, "
            "'_', '.' and '-' (128 at most, not starting with '.' or '-'): "
            f"for example {EXAMPLE_IMAGE!r}"
        )
    return _path_problem(path, value)


def _path_problem(path: str, value: str) -> str:
    first, slash, rest = path.partition("/")
    components = rest.split("/") if slash and _is_domain(first) else path.split("/")
    for component in components:
        if component.lower() != component and re.fullmatch(_PATH_COMPONENT, component.lower()):
            fixed = value.replace(component, component.lower(), 1)
            hint = (
                f"use {_fixable(fixed)!r}" if _fixable(fixed) else f"for example {EXAMPLE_IMAGE!r}"
            )
            return f"the path '{component}' must be lowercase: {hint}"
        if not re.fullmatch(_PATH_COMPONENT, component, re.ASCII):
            return (
                f"the path '{component}' may hold only lowercase letters and digits, "
                "separated by '.', '_', '__' or '-': for example "
                f"{EXAMPLE_IMAGE!r}"
            )
    return f"it is not an image reference (registry/path:tag@digest): for example {EXAMPLE_IMAGE!r}"


def _fixable(value: str) -> str:
    """``value`` with its tag cut back to the allowed characters, if that makes it valid."""
    name, _, tag = value.rpartition(":")
    if name and "/" not in tag:
        cut = re.sub(r"[^\w.-]", "", tag, flags=re.ASCII)
        value = f"{name}:{cut}" if cut else name
    return value if REFERENCE.fullmatch(value) else ""


def _is_domain(component: str) -> bool:
    """True when a reference's first component is a registry, as the runtimes
    decide it: it has a ``.`` or ``:``, is ``localhost``, or has upper case."""
    return (
        "." in component
        or ":" in component
        or component == "localhost"
        or (component.lower() != component)
    )


def url_path(value: str) -> str | None:
    """A URL path (query and fragment allowed): no white space or control
    characters, other characters percent-encoded."""
    if PATH_CHARACTERS.fullmatch(value):
        return None
    bad = next(c for c in value if not PATH_CHARACTERS.fullmatch(c))
    return (
        f"{bad!r} cannot be in a URL path: percent-encode it "
        f"({''.join(f'%{b:02X}' for b in bad.encode(errors='surrogatepass'))}) or leave it out"
    )


def cluster_domain(value: str) -> str | None:
    """A cluster domain: a DNS subdomain (``cluster.local``), no trailing dot."""
    problem = dns1123_subdomain(value)
    if problem is None:
        return None
    suggestion = ".".join(p for p in re.split(r"[^a-z0-9-]+", value.lower()) if p.strip("-"))
    example = (
        suggestion if suggestion and dns1123_subdomain(suggestion) is None else "cluster.local"
    )
    return f"a cluster domain is a DNS subdomain: {problem} (for example '{example}')"
