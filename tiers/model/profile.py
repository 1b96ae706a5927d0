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

ProbeAction = Literal["tcp", "http"]

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
class KindProfile:
    """Everything a kind's default image needs to run hardened.

    - ``run_as_user`` / ``run_as_group``: numeric ids (default 10001); a kind
      whose image needs its own uid declares it here.
    - ``fs_group``: group that owns mounted volumes (``None``: not set).
    - ``writable_paths``: emptyDir mounts under the read-only root filesystem.
    - ``probe`` / ``probe_path``: TCP or HTTP GET probes, and the HTTP path.
    - ``startup_seconds``: how long the process takes to start (the liveness
      probe's initial delay).
    - ``storage``: a stateful kind's data directory (``None``: stateless).
    - ``secret_files``: env vars the image can read from a file instead,
      mapped to the ``*_FILE`` variable that names the file.
    """

    run_as_user: int = HIGH_UID
    run_as_group: int = HIGH_UID
    fs_group: int | None = None
    writable_paths: tuple[str, ...] = ("/tmp",)
    resources: ResourceDefaults = field(default_factory=ResourceDefaults)
    probe: ProbeAction = "tcp"
    probe_path: str = "/"
    startup_seconds: int = 10
    storage: StorageDefaults | None = None
    secret_files: dict[str, str] = field(default_factory=dict)


SIDECAR_PROFILE = KindProfile(
    resources=ResourceDefaults(cpu="50m", memory="64Mi", cpu_limit="200m", memory_limit="128Mi")
)
"""What a sidecar or init container gets by default: uid/gid 10001, a
writable ``/tmp``, TCP probes on its first port (sidecars only), and half the
resources of a main container (``50m``/``200m`` CPU, ``64Mi``/``128Mi`` memory)."""
