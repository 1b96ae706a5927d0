"""Env values from Secrets and ConfigMaps, and Secrets mounted as files.

A Secret that the image can read from a file (the kind's ``secret_files``, or
``SecretKeyRef(..., file_env=...)``) is mounted read-only under
``/etc/secrets/<secret>/`` and the ``*_FILE`` variable names the file, so the
value never sits in the container's environment.
"""

from __future__ import annotations

from tiers import ir
from tiers.model import app as model
from tiers.model.secrets import ConfigMapKeyRef, DevSecret, NotSecret, SecretKeyRef
from tiers.resolve.containers import container_of, owners
from tiers.resolve.pods import volume_name

SECRET_MOUNT_ROOT = "/etc/secrets"
DEV_SECRET_SUFFIX = "-dev-secrets"


def dev_secret_name(tier: model.Tier) -> str:
    """The Secret tiers emits for a tier's :class:`~tiers.DevSecret` values."""
    return f"{tier.name}{DEV_SECRET_SUFFIX}"


def dev_secret_key(name: str, origin: str = "") -> str:
    """The key of a :class:`~tiers.DevSecret` in the tier's Secret: the env var's
    name for the main container, ``<container field>.<name>`` (``sidecars-0.TOKEN``)
    for the others, so that two containers never share a key by accident."""
    if not origin:
        return name
    return f"{origin.replace('[', '-').rstrip(']')}.{name}"


def env_var(
    tier: model.Tier, name: str, value: object, origin: str, container: str = ""
) -> ir.EnvVar:
    """An env var for a literal, a Secret or a ConfigMap value; ``container``
    is the field of a sidecar or init container (``""``: the main one)."""
    if isinstance(value, SecretKeyRef):
        return ir.EnvVar(name, "", origin, ir.KeyRef("Secret", value.secret, value.key))
    if isinstance(value, ConfigMapKeyRef):
        return ir.EnvVar(name, "", origin, ir.KeyRef("ConfigMap", value.config_map, value.key))
    if isinstance(value, DevSecret):
        key = dev_secret_key(name, container)
        return ir.EnvVar(name, "", origin, ir.KeyRef("Secret", dev_secret_name(tier), key))
    if isinstance(value, NotSecret):
        return ir.EnvVar(name, value.value, origin)
    return ir.EnvVar(name, str(value), origin)


def dev_secrets(tier: model.Tier, meta: ir.Meta) -> list[ir.Secret]:
    """The Secret holding the development-only values of the tier's containers, if any."""
    values = {
        dev_secret_key(name, origin): value.value
        for origin, owner in owners(tier)
        for name, value in owner.env.items()
        if isinstance(value, DevSecret)
    }
    if not values:
        return []
    secret_meta = ir.Meta(dev_secret_name(tier), meta.namespace, meta.labels)
    return [ir.Secret(secret_meta, values)]


def mount_secret_files(tier: model.Tier, workload: ir.Workload, origin: str = "") -> None:
    """Replace each Secret env var the image can read from a file by its
    ``*_FILE`` variable and a read-only Secret volume, in the container made
    from the field ``origin`` (``""``: the main one). Containers reading the
    same Secret share its volume."""
    container = container_of(workload, origin)
    owner = dict(owners(tier))[origin]
    secret_files = tier.profile.secret_files if not origin else {}
    for index, var in enumerate(container.env):
        file_env = _file_env(owner.env.get(var.name), var, secret_files)
        if file_env is None or var.value_from is None:
            continue
        volume = secret_volume(workload, container, var.value_from.name)
        if var.value_from.key not in volume.items:
            volume.items.append(var.value_from.key)
        path = f"{SECRET_MOUNT_ROOT}/{var.value_from.name}/{var.value_from.key}"
        container.env[index] = ir.EnvVar(file_env, path, var.origin)


def secret_volume(workload: ir.Workload, container: ir.Container, secret: str) -> ir.Volume:
    """The pod's volume of ``secret``, made on first use; mounted once in ``container``."""
    name = f"secret-{volume_name(secret)}"
    volume = next((v for v in workload.volumes if v.name == name), None)
    if volume is None:
        volume = ir.Volume(name, secret=secret)
        workload.volumes.append(volume)
    if all(m.name != name for m in container.volume_mounts):
        path = f"{SECRET_MOUNT_ROOT}/{secret}"
        container.volume_mounts.append(ir.VolumeMount(name, path, read_only=True))
    return volume


def _file_env(value: object, var: ir.EnvVar, secret_files: dict[str, str]) -> str | None:
    if var.value_from is None or var.value_from.kind != "Secret":
        return None
    if isinstance(value, SecretKeyRef) and value.file_env is not None:
        return value.file_env
    return secret_files.get(var.name)
