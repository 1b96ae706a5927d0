"""Credentials an image reads from a configuration file only, written there
from the Secret by an init container.

RabbitMQ's entrypoint rejects ``*_FILE`` variables; RabbitMQ reads its default
user from ``rabbitmq.conf`` (``default_user``/``default_pass``) or from env
values. Env values from a Secret are what checkov's CKV_K8S_35 and the
Kubernetes documentation advise against (a crash dump or a child process
shows them), so for a kind whose profile has :class:`~tiers.model.profile.SecretSettings`,
each of its env vars given from a Secret leaves the main container's
environment. An init container named ``write-settings`` runs the tier's own
image with the Secret mounted read-only under ``/etc/secrets/<secret>/`` and
the config directory (an emptyDir, memory-backed like a Secret volume)
mounted where the server reads it, and writes one ``setting = value`` line
per variable into the profile's file, mode 0600 for the pod's user. It runs
after the copy of the image's own files into that directory
(:mod:`tiers.resolve.seeds`).
"""

from __future__ import annotations

import posixpath

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.profile import SIDECAR_PROFILE, SecretSettings
from tiers.resolve.envfrom import SECRET_MOUNT_ROOT, secret_volume
from tiers.resolve.pods import ContainerSpec, harden_container
from tiers.resolve.seeds import ORIGIN as SEED_ORIGIN

NAME = "write-settings"
ORIGIN = "env"
"""The field the init container is reported at: the env values it moves."""

SCRIPT = (
    'set -eu; out="$1"; shift; umask 077; : > "$out.new"; '
    'while [ "$#" -gt 0 ]; do printf "%s = %s\\n" "$1" "$(cat "$2")" >> "$out.new"; shift 2; done; '
    'mv "$out.new" "$out"'
)
"""``sh -c`` program: its arguments are the file, then pairs of a setting and
the Secret file holding its value (paths as arguments, never in the script)."""


def write_secret_settings(
    tier: model.Tier, workload: ir.Workload, diagnostics: list[Diagnostic]
) -> None:
    """Move the main container's Secret env values named by the kind's
    ``secret_settings`` into the init container that writes them."""
    settings = tier.profile.secret_settings
    main = workload.containers[0]
    moved = [v for v in main.env if _moves(v, settings)]
    if settings is None or not moved:
        return
    directory = posixpath.dirname(settings.path)
    mount = next(m for m in main.volume_mounts if m.mount_path == directory)  # a profile path
    main.env = [v for v in main.env if v not in moved]
    writer = _writer(main, settings, moved, mount)
    for var in moved:
        assert var.value_from is not None
        volume = secret_volume(workload, writer, var.value_from.name)
        if var.value_from.key not in volume.items:
            volume.items.append(var.value_from.key)
    for volume in workload.volumes:
        if volume.name == mount.name:
            volume.memory = True
    seeded = [i for i, c in enumerate(workload.init_containers) if c.origin == SEED_ORIGIN]
    workload.init_containers.insert(max(seeded, default=-1) + 1, writer)
    spec = ContainerSpec(SIDECAR_PROFILE, None, None, None, ORIGIN, tier, True)
    harden_container(tier.name, workload, writer, spec, diagnostics)


def _moves(var: ir.EnvVar, settings: SecretSettings | None) -> bool:
    return (
        settings is not None
        and var.name in settings.settings
        and var.value_from is not None
        and var.value_from.kind == "Secret"
    )


def _writer(
    main: ir.Container, settings: SecretSettings, moved: list[ir.EnvVar], mount: ir.VolumeMount
) -> ir.Container:
    pairs = []
    for var in moved:
        assert var.value_from is not None
        source = var.value_from
        pairs += [settings.settings[var.name], f"{SECRET_MOUNT_ROOT}/{source.name}/{source.key}"]
    return ir.Container(
        name=NAME,
        image=main.image,
        image_pull_policy=main.image_pull_policy,
        command=["sh", "-c", SCRIPT, "sh", settings.path, *pairs],
        args=None,
        ports=[],
        env=[],
        volume_mounts=[ir.VolumeMount(mount.name, mount.mount_path)],
        origin=ORIGIN,
    )
