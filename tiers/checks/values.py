"""Checks of values as written: credentials in command lines, annotations
and ConfigMaps; image references, URL paths, the cluster domain
by their grammars (:mod:`tiers.checks.formats`).

Literal credentials in env are :func:`tiers.checks.hardening.check_credential_literals`;
those a patch or a template writes are found in the emitted objects
(:mod:`tiers.checks.emitted`).
"""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import formats
from tiers.checks.context import Context
from tiers.checks.credentials import Found, find_credential, find_in_args, is_placeholder
from tiers.checks.credentials import looks_like_credential as credential_name
from tiers.diagnostics import Diagnostic, error
from tiers.model.refs import UrlRef
from tiers.resolve.containers import owners


def check_credentials_in_args(context: Context) -> Iterator[Diagnostic]:
    """No literal credential in any container's ``command`` or ``args``."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        for origin, owner in owners(written) if written is not None else []:
            for field in ("command", "args"):
                values = getattr(owner, field, None)
                strings = [v for v in values if isinstance(v, str)] if values else []
                found = find_in_args(strings)
                if found is not None:
                    path = ir.field_path(origin, f"{field}[{found[0]}]")
                    message = _args_fix(tier, found[1])
                    yield context.error("credential-literal", message, tier, path)


def _args_fix(tier: ir.Tier, found: Found) -> str:
    return (
        f"{found.what} ({found.masked!r}) would be committed to Git in plain text: write "
        f"$(VAR) in its place and set env={{'VAR': SecretKeyRef('{tier.name}-secrets', "
        "'VAR')} (Kubernetes expands $(VAR) in command and args)"
    )


def _held(key: str, value: str) -> str:
    """What credential ``key: value`` holds, or ``""``."""
    if credential_name(key) and not is_placeholder(value):
        return f"a literal value for {key}"
    found = find_credential(value)
    return f"{found.what} ({found.masked!r})" if found is not None else ""


def check_credentials_in_annotations(context: Context) -> Iterator[Diagnostic]:
    """No literal credential in a tier's annotations."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        annotations = getattr(written, "annotations", None)
        for key, value in annotations.items() if isinstance(annotations, dict) else []:
            what = _held(str(key).rpartition("/")[2], value) if isinstance(value, str) else ""
            if what:
                message = (
                    f"{what} would be committed to Git in plain text, and annotations are "
                    "readable by anyone who can read the object: keep the credential in a "
                    "Secret and give its name instead"
                )
                yield context.error("credential-literal", message, tier, f"annotations.{key}")


def check_credentials_in_config_maps(context: Context) -> Iterator[Diagnostic]:
    """No literal credential in a ConfigMap's data (literals and files)."""
    configs = [
        *context.resolved.config_maps,
        *(c for t in context.resolved.tiers for c in t.config_maps),
    ]
    for config in configs:
        for key, value in config.data.items():
            what = _held(key, value)
            if what:
                yield error(
                    "credential-literal",
                    f"ConfigMap '{config.meta.name}', key '{key}': {what} would be committed "
                    "to Git in plain text, and ConfigMaps are readable by anyone who can read "
                    "the namespace's: keep it in a Secret managed outside Git, mounted "
                    "(SecretKeyRef(..., file_env=...)) or as env, and the rest in the ConfigMap",
                    tier=config.users[0] if config.users else None,
                    field=f"ConfigMap.data.{key}",
                    location=config.location,
                )


def check_image_references(context: Context) -> Iterator[Diagnostic]:
    """Every image is a reference by the OCI distribution grammar (white
    space and empty images are reported by ``check_image_present``)."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
            image = container.image
            if not image.strip() or any(c.isspace() for c in image):
                continue
            problem = formats.image_reference(image)
            if problem:
                message = f"'{image}' is not a valid image reference: {problem}"
                field = ir.field_path(container.origin, "image")
                yield context.error("image-invalid", message, tier, field)


def check_url_references(context: Context) -> Iterator[Diagnostic]:
    """Every ``tier.url(path=...)`` has a valid path."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        for origin, owner in owners(written) if written is not None else []:
            for name, value in owner.env.items():
                if not isinstance(value, UrlRef):
                    continue
                field = ir.field_path(origin, f"env.{name}")
                for part, problem in _url_problems(value):
                    message = f"url({part}={getattr(value, part)!r}): {problem}"
                    yield context.error("url-invalid", message, tier, field)


def _url_problems(ref: UrlRef) -> Iterator[tuple[str, str]]:
    """The scheme is checked where the reference resolves (``resolve.wiring``)."""
    path = formats.url_path(ref.path) if isinstance(ref.path, str) else None
    if path:
        yield "path", path


def check_cluster_domain(context: Context) -> Iterator[Diagnostic]:
    """The app's ``cluster_domain`` is a DNS subdomain."""
    problem = formats.cluster_domain(context.resolved.cluster_domain)
    if problem:
        yield error(
            "cluster-domain",
            f"{context.resolved.cluster_domain!r}: {problem}",
            field="cluster_domain",
            location=context.resolved.location,
        )
