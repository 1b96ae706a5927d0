"""Env values from Secrets and ConfigMaps, and Secrets mounted as files.

A Secret that the image can read from a file (the kind's ``secret_files``, or
``SecretKeyRef(..., file_env=...)``) is mounted read-only under
``/etc/secrets/<secret>/`` and the ``*_FILE`` variable names the file, so the
value never sits in the container's environment.
"""

from __future__ import annotations

from tiers import ir, model
from tiers.pods import volume_name
from tiers.secrets import ConfigMapKeyRef, DevSecret, NotSecret, SecretKeyRef

SECRET_MOUNT_ROOT = "/etc/secrets"
DEV_SECRET_SUFFIX = "-dev-secrets"


def dev_secret_name(tier: model.Tier) -> str:
    """The Secret tiers emits for a tier's :class:`~tiers.DevSecret` values."""
    return f"{tier.name}{DEV_SECRET_SUFFIX}"


def env_var(tier: model.Tier, name: str, value: object, origin: str) -> ir.EnvVar:
    """An env var for a literal, a Secret or a ConfigMap value."""
    if isinstance(value, SecretKeyRef):
        return ir.EnvVar(name, "", origin, ir.KeyRef("Secret", value.secret, value.key))
    if isinstance(value, ConfigMapKeyRef):
        return ir.EnvVar(name, "", origin, ir.KeyRef("ConfigMap", value.config_map, value.key))
    if isinstance(value, DevSecret):
        return ir.EnvVar(name, "", origin, ir.KeyRef("Secret", dev_secret_name(tier), name))
    if isinstance(value, NotSecret):
        return ir.EnvVar(name, value.value, origin)
    return ir.EnvVar(name, str(value), origin)


def dev_secrets(tier: model.Tier, meta: ir.Meta) -> list[ir.Secret]:
    """The Secret holding the tier's development-only values, if it has any."""
    values = {k: v.value for k, v in tier.env.items() if isinstance(v, DevSecret)}
    if not values:
        return []
    secret_meta = ir.Meta(dev_secret_name(tier), meta.namespace, dict(meta.labels))
    return [ir.Secret(secret_meta, values)]


def mount_secret_files(tier: model.Tier, workload: ir.Workload) -> None:
    """Replace each Secret env var the image can read from a file by its
    ``*_FILE`` variable and a read-only Secret volume."""
    container = workload.containers[0]
    volumes: dict[str, ir.Volume] = {}
    for index, var in enumerate(container.env):
        file_env = _file_env(tier, var)
        if file_env is None or var.value_from is None:
            continue
        secret = var.value_from.name
        volume = volumes.get(secret)
        if volume is None:
            volume = volumes[secret] = ir.Volume(f"secret-{volume_name(secret)}", secret=secret)
            path = f"{SECRET_MOUNT_ROOT}/{secret}"
            container.volume_mounts.append(ir.VolumeMount(volume.name, path, read_only=True))
            workload.volumes.append(volume)
        if var.value_from.key not in volume.items:
            volume.items.append(var.value_from.key)
        path = f"{SECRET_MOUNT_ROOT}/{secret}/{var.value_from.key}"
        container.env[index] = ir.EnvVar(file_env, path, var.origin)


def _file_env(tier: model.Tier, var: ir.EnvVar) -> str | None:
    if var.value_from is None or var.value_from.kind != "Secret":
        return None
    value = tier.env.get(var.name)
    if isinstance(value, SecretKeyRef) and value.file_env is not None:
        return value.file_env
    return tier.profile.secret_files.get(var.name)
