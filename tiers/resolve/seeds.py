"""Writable paths where the image ships files: an emptyDir there would hide
them, so an init container copies them in first.

The kind's profile knows these directories (``shipped_paths``: nginx's
``/etc/nginx/conf.d``, which holds its ``default.conf``). When one of the
tier's writable paths is among them, an init container named
``copy-<volume>`` runs the tier's own image, with the emptyDir mounted at
``/seed``, and copies the directory's content into it before the main
container starts. Any other writable path starts empty (see docs/servers.md).
"""

from __future__ import annotations

from tiers import ir
from tiers.model.profile import KindProfile

SEED_MOUNT = "/seed"
ORIGIN = "security.writable_paths"
"""The field a copy container is reported at: the writable path that needs it."""


def seed_containers(profile: KindProfile, workload: ir.Workload) -> list[ir.Container]:
    """An init container for each of the main container's writable paths that
    the image ships files in (``profile.shipped_paths``)."""
    main = workload.containers[0]
    emptydirs = {v.name for v in workload.volumes if _is_emptydir(v)}
    found = []
    for mount in main.volume_mounts:
        if mount.mount_path in profile.shipped_paths and mount.name in emptydirs:
            found.append(_copy(main, mount))
    return found


def _is_emptydir(volume: ir.Volume) -> bool:
    sources = (volume.secret, volume.config_map, volume.host_path, volume.token_seconds)
    return all(source is None for source in sources)


def _copy(main: ir.Container, mount: ir.VolumeMount) -> ir.Container:
    return ir.Container(
        name=f"copy-{mount.name}"[:63].rstrip("-"),
        image=main.image,
        image_pull_policy=main.image_pull_policy,
        command=["cp", "-R", f"{mount.mount_path}/.", f"{SEED_MOUNT}/"],
        args=None,
        ports=[],
        env=[],
        volume_mounts=[ir.VolumeMount(mount.name, SEED_MOUNT)],
        origin=ORIGIN,
    )
