"""The pod's filesystem, built for ``bwrap``: the image's root (read-only
binds of the host's Debian ``/usr`` and ``/etc``, and what the test says the
image ships), the pod's volumes prepared as the kubelet prepares them, and
each volume mount at its path.

Volumes, as the kubelet leaves them for the container:

- ``emptyDir``: a directory of mode 0777; with ``fsGroup``, group-owned by it and
  setgid (02777).
- a claim (``volumeClaimTemplates`` or ``persistentVolumeClaim``): the root of a
  fresh ext4 filesystem, root-owned 0755 with its ``lost+found``; with
  ``fsGroup``, everything in it group-owned by it, group-writable and setgid
  (02775), as ``SetVolumeOwnership`` does.
- ``subPath``: created inside the volume with the mode and owner of its root.
- ``hostPath``: the host's own directory.
- ``secret`` and ``configMap``: the chosen keys (``items``) or all of them as
  files of ``defaultMode`` (0644), group-owned by ``fsGroup``; mounted read-only.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tests.runtime.pods import Pod, Sources

Doc = dict[str, Any]

SYMLINKS = {"/var/run": "/run", "/var/lock": "/run/lock"}
"""The symlinks of a Debian-based image's root (every image the kinds pin):
a mount at ``/var/run/x`` lands at ``/run/x``, as the container runtime
resolves it inside the root."""


def resolve(path: str) -> str:
    """``path`` with the root's symlinks followed, as the runtime mounts it."""
    for link, target in SYMLINKS.items():
        if path == link or path.startswith(link + "/"):
            return target + path[len(link) :]
    return path


@dataclass(frozen=True)
class Mount:
    source: Path
    target: str
    read_only: bool


Prepared = dict[str, tuple[Path, bool]]
"""The pod's volumes prepared so far (name: directory, whether read-only):
the containers of one pod share them, an init container's files stay."""


def volumes(
    pod: Pod, container: Doc, sources: Sources, base: Path, prepared: Prepared | None = None
) -> list[Mount]:
    """Each of the container's volume mounts, its volume prepared under
    ``base`` unless ``prepared`` (the pod's earlier containers) holds it."""
    context = pod.spec.get("securityContext", {})
    fs_group = context.get("fsGroup")
    policy = context.get("fsGroupChangePolicy", "Always")
    by_name = {v["name"]: v for v in pod.spec.get("volumes", [])}
    prepared = {} if prepared is None else prepared
    mounts = []
    for mount in container.get("volumeMounts", []):
        name = mount["name"]
        if name not in prepared:
            volume = by_name.get(name)
            prepared[name] = _prepare(name, volume, pod, sources, base / name, fs_group, policy)
        root, forced_ro = prepared[name]
        source = root
        if "subPath" in mount:
            source = root / mount["subPath"]
            if not source.exists():
                _sub_path(root, source)
        mounts.append(
            Mount(source, resolve(mount["mountPath"]), forced_ro or mount.get("readOnly", False))
        )
    return mounts


def _prepare(
    name: str,
    volume: Doc | None,
    pod: Pod,
    sources: Sources,
    path: Path,
    fs_group: int | None,
    policy: str,
) -> tuple[Path, bool]:
    claim = volume is None and name in pod.claims
    if claim or (volume is not None and "persistentVolumeClaim" in volume):
        if not path.exists():  # a claim outlives its pod: a restart finds it as it was left
            path.mkdir(parents=True)
            (path / "lost+found").mkdir(mode=0o700)
            path.chmod(0o755)
        if policy != "OnRootMismatch" or not _root_matches(path, fs_group):
            _own(path, fs_group, 0o2775)
        return path, False
    assert volume is not None, f"volume {name!r} is neither in volumes nor a claim template"
    if "hostPath" in volume:  # the node's own directory
        return Path(volume["hostPath"]["path"]), False
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    if "emptyDir" in volume:
        path.chmod(0o777)
        _own(path, fs_group, 0o2777)
        return path, False
    if "projected" in volume:
        _write(path, _projected(volume["projected"], pod, sources), volume["projected"])
        _own(path, fs_group, 0o755)
        return path, True
    kind = "secret" if "secret" in volume else "configMap"
    assert kind in volume, f"the harness cannot mount volume {volume}"
    _write(path, _keyed(kind, volume[kind], sources), volume[kind])
    _own(path, fs_group, 0o755)
    return path, True


def _keyed(kind: str, ref: Doc, sources: Sources) -> dict[str, str]:
    """The files of a Secret or ConfigMap: its ``items``, or every key."""
    name = ref.get("secretName") or ref["name"]
    store = sources.secrets if kind == "secret" else sources.config_maps
    data = store.get(name) or CLUSTER_CONFIG_MAPS.get(name)
    assert data is not None, f"the test gives no {kind} {name!r}"
    items = ref.get("items") or [{"key": k, "path": k} for k in data]
    return {item["path"]: data[item["key"]] for item in items}


CLUSTER_CONFIG_MAPS = {"kube-root-ca.crt": {"ca.crt": "the cluster's CA certificate\n"}}
"""What every namespace holds without the app writing it."""


def _projected(projected: Doc, pod: Pod, sources: Sources) -> dict[str, str]:
    """The files of a projected volume: the pod's token (a stand-in: no API
    server here), ConfigMaps, Secrets and the pod's namespace."""
    files: dict[str, str] = {}
    for source in projected["sources"]:
        if "serviceAccountToken" in source:
            files[source["serviceAccountToken"]["path"]] = "a token for the pod's ServiceAccount"
        elif "downwardAPI" in source:
            fields = {"metadata.namespace": pod.namespace, "metadata.name": f"{pod.name}-0"}
            for item in source["downwardAPI"]["items"]:
                files[item["path"]] = fields[item["fieldRef"]["fieldPath"]]
        else:
            kind = "secret" if "secret" in source else "configMap"
            files.update(_keyed(kind, source[kind], sources))
    return files


def _write(path: Path, files: dict[str, str], ref: Doc) -> None:
    for name, content in files.items():
        file = path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content)
        file.chmod(ref.get("defaultMode", 0o644))
    path.chmod(0o755)


def _own(path: Path, fs_group: int | None, dir_mode: int) -> None:
    """The kubelet's ``SetVolumeOwnership``: group ``fs_group``, group-readable
    and writable (setgid directories) for everything in the volume."""
    if fs_group is None:
        return
    for item in [path, *path.rglob("*")]:
        os.chown(item, -1, fs_group, follow_symlinks=False)
        if item.is_symlink():
            continue
        if item.is_dir():
            item.chmod(item.stat().st_mode & 0o777 | dir_mode & 0o2070 | 0o2000)
        else:
            item.chmod(item.stat().st_mode & 0o777 | 0o040)


def _root_matches(path: Path, fs_group: int | None) -> bool:
    """``OnRootMismatch``: the kubelet leaves a volume whose root already has
    the group and its permissions."""
    info = path.stat()
    return info.st_gid == fs_group and info.st_mode & 0o2070 == 0o2070


def _sub_path(root: Path, path: Path) -> None:
    info = root.stat()
    path.mkdir(parents=True)
    os.chown(path, info.st_uid, info.st_gid)
    path.chmod(stat.S_IMODE(info.st_mode))


def root_args(exposed: list[str], needed: list[str], skeleton: dict[str, int]) -> list[str]:
    """``bwrap`` arguments for a root holding ``exposed`` host paths read-only,
    the ``skeleton`` directories (path: mode) of the image's root, and every
    directory above each path of ``needed`` (0755, as in an image), so that each
    can be mounted on. Where one is missing inside an exposed directory, or is
    a symlink there, that directory is rebuilt as a directory of binds of its
    other entries, down to the mount's parent."""
    binds = {p for p in exposed if os.path.lexists(p)}
    dirs: dict[str, int] = {}
    for target in needed:
        if os.path.lexists(target) and not os.path.islink(target):
            continue
        parent = str(PurePosixPath(target).parent)
        owner = next((b for b in binds if parent == b or parent.startswith(b + "/")), None)
        if owner is not None:
            _explode(owner, parent, binds, dirs)
        binds.discard(target)
    for target in needed:
        for above in PurePosixPath(target).parents:
            path = str(above)
            if path != "/" and path not in dirs and not _inside(path, binds):
                dirs[path] = skeleton.get(path, 0o755)
    for path, mode in skeleton.items():
        dirs.setdefault(path, mode)
    args: list[str] = []
    for path in sorted(binds | set(dirs), key=lambda p: PurePosixPath(p).parts):
        if path in dirs:
            args += ["--perms", f"{dirs[path]:04o}", "--dir", path]
        elif os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        else:
            args += ["--ro-bind", path, path]
    return args


def _inside(path: str, binds: set[str]) -> bool:
    return any(path == b or path.startswith(b + "/") for b in binds)


def _explode(top: str, parent: str, binds: set[str], dirs: dict[str, int]) -> None:
    """Turn the bind of ``top`` into directories down to ``parent`` (as far as
    they exist on the host), each holding binds of its other entries."""
    current = top
    chain = PurePosixPath(parent).relative_to(top).parts
    for part in (None, *chain):
        if part is not None:
            current = f"{current}/{part}"
        if not os.path.isdir(current) or os.path.islink(current):
            return
        binds.discard(current)
        dirs[current] = stat.S_IMODE(os.stat(current).st_mode)
        binds.update(f"{current}/{entry}" for entry in os.listdir(current))
        binds.difference_update(dirs)
