"""Per-tier overrides of the secure defaults: pod security, resources, probes
and storage. Every field left as ``None`` keeps the tier kind's default (see
:mod:`tiers.model.profile`); every field that weakens the restricted Pod Security
Standard is reported as a warning.

>>> from tiers import Resources, Security, Tier
>>> web = Tier(
...     "web",
...     image="nginx:1.27.3",
...     ports=[80],
...     security=Security(writable_paths=["/var/cache/nginx", "/var/run"]),
...     resources=Resources(cpu="250m", memory="256Mi"),
... )
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import Literal

from tiers.model.base import model

SeccompProfile = Literal["RuntimeDefault", "Unconfined"]


@model
class Security:
    """The security settings of a tier's pods; defaults meet PSS "restricted".

    - ``run_as_user`` / ``run_as_group``: numeric ids; default the kind's
      (10001). Below 10000 is a warning; 0 (root) also needs
      ``run_as_non_root=False``.
    - ``fs_group``: group of mounted volumes; default the kind's (MySQL: 10001).
    - ``writable_paths``: extra emptyDir mounts, added to the kind's
      (``/tmp`` for every kind).
    - Opt-outs, each a warning saying what it weakens:
      ``run_as_non_root=False``, ``read_only_root_filesystem=False``,
      ``allow_privilege_escalation=True``, ``add_capabilities=[...]``,
      ``seccomp_profile="Unconfined"``, ``automount_service_account_token=True``.
    """

    _: KW_ONLY
    run_as_user: int | None = None
    run_as_group: int | None = None
    fs_group: int | None = None
    writable_paths: list[str] = field(default_factory=list)
    run_as_non_root: bool = True
    read_only_root_filesystem: bool = True
    allow_privilege_escalation: bool = False
    add_capabilities: list[str] = field(default_factory=list)
    seccomp_profile: SeccompProfile = "RuntimeDefault"
    automount_service_account_token: bool = False


@model
class Resources:
    """CPU and memory for a tier's container, as Kubernetes quantities.

    ``cpu`` and ``memory`` are the requests, ``cpu_limit`` and
    ``memory_limit`` the limits. A field left ``None`` takes the kind's
    default; an unset limit is the kind's default limit or the request,
    whichever is larger, so raising a request alone never inverts them.

    >>> Resources(cpu="250m", memory="256Mi").cpu
    '250m'
    """

    cpu: str | None = None
    memory: str | None = None
    _: KW_ONLY
    cpu_limit: str | None = None
    memory_limit: str | None = None


@model
class Probe:
    """One probe: an HTTP GET of ``path``, or a TCP connect when ``path`` is
    ``None`` and the kind probes by TCP, or ``tcp=True``.

    ``port`` is a container port's number or name (default: the first).
    Timings left ``None`` keep the defaults (readiness: every 10 s, 3
    failures; liveness: every 20 s, 3 failures, after the kind's start-up
    time).
    """

    path: str | None = None
    _: KW_ONLY
    tcp: bool = False
    port: int | str | None = None
    initial_delay_seconds: int | None = None
    period_seconds: int | None = None
    timeout_seconds: int | None = None
    failure_threshold: int | None = None


@model
class Probes:
    """The readiness and liveness probes of a tier's container.

    ``path`` sets the HTTP path of both (Frontend default ``/``, Backend
    ``/healthz``). ``readiness`` / ``liveness`` override one probe, or
    disable it with ``False`` (a warning: Kubernetes then sends traffic to,
    or keeps, pods that do not answer).
    """

    path: str | None = None
    _: KW_ONLY
    readiness: Probe | Literal[False] | None = None
    liveness: Probe | Literal[False] | None = None


@model
class Storage:
    """A persistent volume per pod: the tier becomes a StatefulSet with a
    ``volumeClaimTemplates`` entry named ``data``.

    ``size`` defaults to ``1Gi``; ``storage_class`` to the cluster's default;
    ``mount_path`` to the kind's data directory (MySQL: ``/var/lib/mysql``)
    and must be given for a general :class:`~tiers.Tier`; ``sub_path`` (a
    directory of the volume to mount instead of its root) to the kind's
    (MySQL: ``mysql``) or none.
    """

    size: str = "1Gi"
    _: KW_ONLY
    storage_class: str | None = None
    mount_path: str | None = None
    sub_path: str | None = None
