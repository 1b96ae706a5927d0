"""What a tier kind's image needs to run under the restricted Pod Security
Standard: its user, its writable paths, its resources, probes and storage.

A profile is plain data, declared once per kind as the ``profile`` class
variable (see :mod:`tiers.model.kinds`) and resolved into the IR by
:mod:`tiers.resolve.pods`; users override it per tier with :class:`tiers.Security`,
:class:`tiers.Resources`, :class:`tiers.Probes` and :class:`tiers.Storage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ProbeAction = Literal["tcp", "http", "exec", "grpc"]

HIGH_UID = 10001
"""The default user and group: above 10000, so no host account can share it."""


@dataclass(frozen=True, slots=True)
class ResourceDefaults:
    """Default CPU and memory requests and limits of a kind's container."""

    cpu: str = "100m"
    memory: str = "128Mi"
    cpu_limit: str = "500m"
    memory_limit: str = "256Mi"


@dataclass(frozen=True, slots=True)
class StorageDefaults:
    """Where a stateful kind keeps its data, and how much it claims by default.

    ``sub_path`` mounts a directory of the volume instead of its root, for
    images that refuse a data directory holding the filesystem's ``lost+found``.
    """

    mount_path: str
    size: str = "1Gi"
    sub_path: str | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    """An env var a kind requires (a root password), or one of its
    alternatives (``names``: any one of them will do). ``what`` says what it
    is (``"a root password"``), ``key`` names the Secret key the fix suggests
    (``"root-password"``), ``why`` what happens without it."""

    names: tuple[str, ...]
    what: str
    key: str
    why: str = "the image refuses to start without it"


@dataclass(frozen=True, slots=True)
class SecretSettings:
    """Credentials an image reads from a configuration file only (no
    ``*_FILE`` variables): the env vars of ``settings`` (name: the setting
    that takes its value) given from a Secret are written by an init container
    into ``path``, one ``setting = value`` line each, instead of sitting in
    the container's environment. ``path``'s directory must be one of the
    kind's writable paths (memory-backed then, as a Secret volume is)."""

    path: str
    settings: dict[str, str]


@dataclass(frozen=True, slots=True)
class KindProfile:
    """Everything a kind's default image needs to run hardened.

    - ``run_as_user`` / ``run_as_group``: numeric ids (default 10001); a kind
      whose image needs its own uid declares it here.
    - ``fs_group``: group that owns mounted volumes (``None``: not set).
    - ``writable_paths``: emptyDir mounts under the read-only root filesystem.
    - ``probe`` / ``probe_path`` / ``probe_command``: TCP, HTTP GET (of
      ``probe_path``), exec (``probe_command``, the image's own readiness
      command) or gRPC health probes.
    - ``probe_timeout_seconds``: the probes' timeout (``None``: 3 s for
      readiness, 5 s for liveness); an exec command may need more.
    - ``startup_seconds``: how long the process may take to start: the
      liveness probe's initial delay, or, with ``startup_probe``, the budget of
      a startup probe (the readiness handler every 10 s) that holds liveness
      back until the first success, so a slow first start is not killed.
    - ``storage``: a stateful kind's data directory (``None``: stateless).
    - ``secret_files``: env vars the image can read from a file instead,
      mapped to the ``*_FILE`` variable that names the file.
    - ``credentials``: the env vars the image refuses to start without.
    - ``shipped_paths``: writable paths where the image ships files: an
      emptyDir there starts as a copy of them (an init container copies them in).
    - ``secret_settings``: credentials the image reads from a config file
      only, written there from the Secret by an init container.
    - ``fs_group_change_policy``: ``OnRootMismatch`` when Kubernetes must not
      change the volume's modes on every mount (files the server keeps
      owner-only, such as an Erlang cookie).
    """

    run_as_user: int = HIGH_UID
    run_as_group: int = HIGH_UID
    fs_group: int | None = None
    writable_paths: tuple[str, ...] = ("/tmp",)
    resources: ResourceDefaults = field(default_factory=ResourceDefaults)
    probe: ProbeAction = "tcp"
    probe_path: str = "/"
    probe_command: tuple[str, ...] = ()
    probe_timeout_seconds: int | None = None
    startup_seconds: int = 10
    startup_probe: bool = False
    storage: StorageDefaults | None = None
    secret_files: dict[str, str] = field(default_factory=dict)
    credentials: tuple[Credential, ...] = ()
    shipped_paths: tuple[str, ...] = ()
    secret_settings: SecretSettings | None = None
    fs_group_change_policy: str | None = None


SIDECAR_PROFILE = KindProfile(
    resources=ResourceDefaults(cpu="50m", memory="64Mi", cpu_limit="200m", memory_limit="128Mi")
)
"""What a sidecar or init container gets by default: uid/gid 10001, a
writable ``/tmp``, TCP probes on its first port (sidecars only), and half the
resources of a main container (``50m``/``200m`` CPU, ``64Mi``/``128Mi`` memory)."""
