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
SecurityLevel = Literal["restricted", "baseline"]
"""The Pod Security Standard a tier's pods are made to meet: ``restricted``
(the default), or ``baseline`` for an image that must start as root."""


@model
class Security:
    """The security settings of a tier's pods; defaults meet PSS "restricted".

    - ``level``: ``"restricted"`` (the default) or ``"baseline"``: for an
      image that must start as root (to change the owner of its files, then
      drop to its user, as many official images' entrypoints do). The pods
      then run as the image's own user (no ``runAsUser``, ``runAsNonRoot:
      false``) with the capabilities a container runtime gives by default
      (those baseline allows: ``CHOWN``, ``SETUID``, ``SETGID``, ...), still a
      read-only root filesystem and the RuntimeDefault seccomp profile; the
      Namespace is labelled to enforce ``baseline``, with a warning naming the
      tier. ``security="baseline"`` on a tier is short for
      ``Security(level="baseline")``.
    - ``run_as_user`` / ``run_as_group``: numeric ids; default the kind's
      (10001; the servers' own, 999 for Postgres). Any uid but 0 meets
      restricted; 0 (root) also needs ``run_as_non_root=False``.
    - ``fs_group``: the group that owns mounted volumes, so the uid can write
      them; default the kind's, or for a tier with ``storage`` its gid.
    - ``writable_paths``: extra emptyDir mounts, added to the kind's
      (``/tmp`` for every kind). An emptyDir starts empty and hides what the
      image has at that path.
    - ``add_capabilities``: Linux capabilities added after dropping ``ALL``.
      ``NET_BIND_SERVICE`` (a port below 1024) meets restricted; any other
      needs baseline (or privileged), said in a warning.
    - Opt-outs, each a warning saying what it weakens:
      ``run_as_non_root=False``, ``read_only_root_filesystem=False``,
      ``allow_privilege_escalation=True``, ``seccomp_profile="Unconfined"``,
      ``automount_service_account_token=True``.
    """

    _: KW_ONLY
    level: SecurityLevel = "restricted"
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
    """One probe, and its handler: at most one of

    - ``path``: an HTTP GET of that path (``Probe("/healthz")``);
    - ``tcp=True``: a TCP connect;
    - ``command=[...]``: run a command in the container, healthy when it
      exits 0 (``Probe(command=["pg_isready", "--host=127.0.0.1"])``);
    - ``grpc=True``: the gRPC health checking protocol
      (``grpc.health.v1.Health/Check``), of ``grpc_service`` when given.

    None of them keeps the kind's handler (HTTP for Backend and Frontend,
    the server's own command for Postgres and the like, TCP otherwise).
    ``port`` is a container port's number or name (default: the first; not
    for ``command``). Timings left ``None`` keep the defaults:
    ``initial_delay_seconds`` (readiness 5; liveness the kind's start-up
    time, 0 after a startup probe; startup 0), ``period_seconds`` (readiness
    10, liveness 20, startup 10), ``timeout_seconds`` (readiness 3, liveness
    5, or the kind's), ``failure_threshold`` (3; startup: enough periods for
    the start-up time).
    """

    path: str | None = None
    _: KW_ONLY
    tcp: bool = False
    command: list[str] | None = None
    grpc: bool = False
    grpc_service: str | None = None
    port: int | str | None = None
    initial_delay_seconds: int | None = None
    period_seconds: int | None = None
    timeout_seconds: int | None = None
    failure_threshold: int | None = None


@model
class Probes:
    """The readiness, liveness and startup probes of a tier's container.

    - ``path``: the HTTP path of all three (Frontend default ``/``, Backend
      ``/healthz``).
    - ``readiness`` / ``liveness``: override one probe (:class:`Probe`), or
      disable it with ``False`` (a warning: Kubernetes then sends traffic to,
      or keeps, pods that do not answer).
    - ``startup_seconds``: how long the container may take to start: a
      startup probe (the readiness handler, every 10 s) holds the liveness
      probe back until it first passes, and fails the pod only after this
      long. For a slow starter (a JVM service that takes a minute):
      ``Probes(startup_seconds=180)``. Default: the kind's (MySQL, Postgres
      and the other servers: 120 or 60), else none, and liveness waits the
      kind's start-up time (10 s) instead.
    - ``startup``: the startup probe in full (:class:`Probe`: its handler,
      period, failures), or ``False`` for none.
    """

    path: str | None = None
    _: KW_ONLY
    readiness: Probe | Literal[False] | None = None
    liveness: Probe | Literal[False] | None = None
    startup: Probe | Literal[False] | None = None
    startup_seconds: int | None = None


@model
class Storage:
    """A persistent volume per pod: the tier becomes a StatefulSet with a
    ``volumeClaimTemplates`` entry named ``data``.

    ``size`` defaults to ``1Gi``; ``storage_class`` to the cluster's default;
    ``mount_path`` to the kind's data directory (MySQL: ``/var/lib/mysql``)
    and must be given for a general :class:`~tiers.Tier`; ``sub_path`` (a
    directory of the volume to mount instead of its root) to the kind's
    (MySQL: ``mysql``) or none. The volume is owned by the pod's ``fsGroup``:
    the kind's, or for a general tier its gid, so its uid can write it.
    """

    size: str = "1Gi"
    _: KW_ONLY
    storage_class: str | None = None
    mount_path: str | None = None
    sub_path: str | None = None
