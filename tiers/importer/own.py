"""What tiers adds to a pod of a kind by itself, taken back before the pod is
read, so that tiers' own output imports into the kind it was built from.

Two init containers come from a kind's profile, never from the user:

- ``copy-<volume>`` (:mod:`tiers.resolve.seeds`): ``cp -R <path>/. /seed/``,
  the image's files copied into the emptyDir the main container mounts at
  ``<path>``;
- ``write-settings`` (:mod:`tiers.resolve.settings`): a kind's credentials
  written from a Secret into its config file; taken back as the env values
  from that Secret the user wrote (``RABBITMQ_DEFAULT_PASS: SecretKeyRef(...)``).

Each is recognised by its exact shape (name, command, image, mounts), so a
user's own init container of the same name is imported as written. The
volumes only they mount go with them. The import compares the rebuilt pod
with the input as given, so what tiers adds again is not a patch.
"""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Group, dig, items
from tiers.model.images import kind_for_image
from tiers.resolve.envfrom import SECRET_MOUNT_ROOT
from tiers.resolve.seeds import SEED_MOUNT
from tiers.resolve.settings import NAME as WRITER
from tiers.resolve.settings import SCRIPT

Doc = dict[str, Any]


def take_back(group: Group) -> Doc | None:
    """The pod spec of ``group`` without the init containers tiers adds for
    its kind, the main container's env given back; ``None`` if it has none."""
    spec = dig(group.pod_template, "spec")
    inits = items(dig(spec, "initContainers"))
    if not group.containers or not inits:
        return None
    main = group.containers[0]
    image = main.get("image")
    if not isinstance(image, str) or (kind := kind_for_image(image)) is None:
        return None
    mounts = {m.get("name"): m.get("mountPath") for m in items(main.get("volumeMounts"))}
    own = [c for c in inits if _copies(c, image, mounts) or _writes(c, image, kind)]
    if not own:
        return None
    env = [*items(main.get("env")), *(e for c in own for e in _env_back(c, kind))]
    kept = [c for c in inits if all(c is not o for o in own)]
    used = _mounted([*kept, *group.containers])
    volumes = [v for v in items(spec.get("volumes")) if v.get("name") in used]
    containers = [{**main, "env": env}, *group.containers[1:]] if env else group.containers
    taken = {**spec, "initContainers": kept, "containers": containers, "volumes": volumes}
    return {k: v for k, v in taken.items() if v != [] or k == "containers"}


def _copies(container: Doc, image: str, mounts: dict[Any, Any]) -> bool:
    """tiers' copy of the image's files into the volume at a writable path."""
    seeded = [m.get("name") for m in items(container.get("volumeMounts")) if _at_seed(m)]
    if container.get("image") != image or len(seeded) != 1 or seeded[0] not in mounts:
        return False
    path = mounts[seeded[0]]
    command = ["cp", "-R", f"{path}/.", f"{SEED_MOUNT}/"]
    return container.get("name") == f"copy-{seeded[0]}"[:63].rstrip("-") and (
        container.get("command") == command
    )


def _at_seed(mount: Doc) -> bool:
    return mount.get("mountPath") == SEED_MOUNT


def _writes(container: Doc, image: str, kind: type[Any]) -> bool:
    """tiers' writer of the kind's ``secret_settings``."""
    settings = kind.profile.secret_settings
    command = container.get("command")
    if settings is None or container.get("image") != image or container.get("name") != WRITER:
        return False
    if not isinstance(command, list) or command[:5] != ["sh", "-c", SCRIPT, "sh", settings.path]:
        return False
    pairs = command[5:]
    names = set(settings.settings.values())
    return (
        len(pairs) % 2 == 0
        and all(isinstance(p, str) for p in pairs)
        and all(pairs[i] in names and _secret_path(pairs[i + 1]) for i in range(0, len(pairs), 2))
    )


def _secret_path(path: str) -> tuple[str, str] | None:
    parts = path.removeprefix(f"{SECRET_MOUNT_ROOT}/").split("/")
    return (parts[0], parts[1]) if path.startswith(SECRET_MOUNT_ROOT) and len(parts) == 2 else None


def _env_back(container: Doc, kind: type[Any]) -> list[Doc]:
    """The env entries the writer took: each setting's variable, from its Secret key."""
    if container.get("name") != WRITER:
        return []
    by_setting = {s: name for name, s in kind.profile.secret_settings.settings.items()}
    pairs = container["command"][5:]
    found = []
    for setting, path in zip(pairs[::2], pairs[1::2], strict=True):
        found_path = _secret_path(path)
        assert found_path is not None
        secret, key = found_path
        ref = {"secretKeyRef": {"name": secret, "key": key}}
        found.append({"name": by_setting[setting], "valueFrom": ref})
    return found


def _mounted(containers: list[Doc]) -> set[Any]:
    return {m.get("name") for c in containers for m in items(c.get("volumeMounts"))}
