"""Checks of ConfigMaps and where they are mounted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.checks.ingress import is_dns_subdomain
from tiers.diagnostics import Diagnostic, error

_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
MAX_BYTES = 1024 * 1024
"""A ConfigMap holds at most 1 MiB."""


def _all_config_maps(context: Context) -> Iterator[ir.ConfigMap]:
    yield from context.resolved.config_maps
    for tier in context.resolved.tiers:
        yield from tier.config_maps


def check_config_maps(context: Context) -> Iterator[Diagnostic]:
    """Valid names and keys, and at most 1 MiB of data."""
    for config in _all_config_maps(context):
        where = {"tier": config.users[0] if config.users else None, "location": config.location}
        name = config.meta.name
        if not is_dns_subdomain(name):
            yield error(
                "config-map-name",
                f"'{name}' is not a valid ConfigMap name (lowercase letters, digits, "
                "'-' and '.', at most 253 characters)",
                field="ConfigMap.name",
                **where,
            )
        for key in config.data:
            if not (_KEY.match(key) and len(key) <= 253) or key in (".", ".."):
                yield error(
                    "config-map-key-name",
                    f"ConfigMap '{name}': '{key}' is not a valid key (letters, digits, "
                    "'-', '_' and '.'; no '/'): it becomes a file name when mounted",
                    field=f"ConfigMap.data.{key}",
                    **where,
                )
        size = sum(_size(k) + _size(v) for k, v in config.data.items())
        if size > MAX_BYTES:
            yield error(
                "config-map-size",
                f"ConfigMap '{name}' holds {size} bytes; Kubernetes allows 1 MiB "
                f"({MAX_BYTES} bytes). Split it, or mount large files another way",
                field="ConfigMap.data",
                **where,
            )


def check_mount_paths(context: Context) -> Iterator[Diagnostic]:
    """Mount paths are absolute and contain no ``:`` (host paths: see
    :mod:`tiers.checks.daemons`)."""
    for tier in context.resolved.tiers:
        hosts = {v.name for v in tier.workload.volumes if v.host_path is not None}
        for container in tier.workload.pod_containers():
            for mount in container.volume_mounts:
                path = mount.mount_path
                if (path.startswith("/") and ":" not in path) or mount.name in hosts:
                    continue
                yield error(
                    "mount-path",
                    f"'{path}' must be an absolute path without ':' (like '/etc/app')",
                    tier=tier.name,
                    field=ir.field_path(container.origin, f"mounts.{path}"),
                    location=context.location(tier),
                )


def _size(text: str) -> int:
    """The bytes of ``text`` in UTF-8 (a lone surrogate, reported elsewhere, as 3)."""
    return len(text.encode(errors="surrogatepass"))
