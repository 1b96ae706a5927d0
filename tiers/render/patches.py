"""Patches: the escape hatch for every field tiers does not model.

A :class:`~tiers.model.app.Patch` is merged into one rendered object after every
other stage, with the rules of a Kubernetes strategic-merge patch, kept small:

- mappings merge key by key; a ``None`` value removes the key;
- lists of named items (containers, env vars, ports, volumes, volume mounts,
  see :data:`MERGE_KEYS`) merge item by item, matched by their merge key; an
  item the object lacks is appended;
- a mapping that holds one of several exclusive members (a probe's handler:
  ``httpGet``, ``tcpSocket``, ``exec``, ``grpc``; a volume's source:
  ``emptyDir``, ``secret``, ...; see :data:`ONE_OF`) drops the object's other
  members when the patch sets one, as Kubernetes' ``$retainKeys`` strategy does;
- ``"$retainKeys": [...]`` in a mapping keeps only those keys of the object's
  mapping before merging (the patch replaces the mapping whole);
- any other value, lists included, replaces the object's value, except the
  rule lists of a NetworkPolicy (:data:`ADDITIVE`): a patch's rules are added
  to those tiers generated, so that a patch can open more but never silently
  drop DNS or the wiring (:func:`patch_object`).

>>> merge({"a": 1, "b": {"c": 2}}, {"b": {"d": 3}, "a": None})
{'b': {'c': 2, 'd': 3}}
>>> probe = {"tcpSocket": {"port": 80}, "periodSeconds": 10}
>>> merge(probe, {"httpGet": {"path": "/", "port": 80}}, "livenessProbe")
{'periodSeconds': 10, 'httpGet': {'path': '/', 'port': 80}}

:func:`diff` is the inverse: the smallest patch that makes an object hold
every field of another, which is how ``tiers import`` keeps what the model
does not describe. :func:`uncovered` lists the fields of one object missing
from (or different in) another.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from tiers import ir
from tiers.render.objects import Rendered

MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",),
    "initContainers": ("name",),
    "ephemeralContainers": ("name",),
    "env": ("name",),
    "envFrom": (),
    "ports": ("containerPort", "port"),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
    "volumeDevices": ("devicePath",),
    "imagePullSecrets": ("name",),
    "hostAliases": ("ip",),
}
"""Lists merged item by item, by field name: the first key every item has."""

HANDLERS = frozenset(["exec", "httpGet", "tcpSocket", "grpc", "sleep"])
"""A probe's or lifecycle hook's handler: exactly one is set."""

VOLUME_SOURCES = frozenset(
    {"emptyDir", "secret", "configMap", "persistentVolumeClaim", "hostPath", "projected"}
    | {"downwardAPI", "ephemeral", "csi", "nfs", "image", "iscsi", "fc", "local"}
)
"""A volume's source: exactly one is set."""

ONE_OF: dict[str, frozenset[str]] = {
    "livenessProbe": HANDLERS,
    "readinessProbe": HANDLERS,
    "startupProbe": HANDLERS,
    "postStart": HANDLERS,
    "preStop": HANDLERS,
    "volumes": VOLUME_SOURCES,
}
"""Field → its mutually exclusive members: setting one in a patch drops the others."""

UNSET_WHEN_ABSENT: dict[str, frozenset[str]] = {
    "volumeMounts": frozenset(["subPath", "subPathExpr"]),
}
"""Field → keys whose absence means something: where the target lacks one the
object has, :func:`diff` removes it (a mount of the volume's root is not a
mount of one of its directories)."""

RETAIN_KEYS = "$retainKeys"
"""The directive that keeps only the listed keys of the object's mapping."""

PROTOCOL_KEYS = frozenset(["containerPort", "port"])
"""Ports are told apart by number and protocol (53/TCP and 53/UDP are two ports)."""

ADDITIVE: dict[str, tuple[tuple[str, ...], ...]] = {
    "NetworkPolicy": (("spec", "ingress"), ("spec", "egress"), ("spec", "policyTypes")),
}
"""Per kind, the lists a patch adds its items to instead of replacing them."""

IDENTITY = (("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"))
"""Fields a patch may not change: they say which object it is."""

_SAME = object()


def merge_key(field: str, *lists: list[Any]) -> str | None:
    """The key the items of ``lists`` (values of ``field``) are matched by, if any."""
    items = [item for values in lists for item in values]
    for key in MERGE_KEYS.get(field, ()):
        if all(isinstance(item, dict) and _is_key(item.get(key)) for item in items):
            return key
    return None


def identity(item: dict[str, Any], key: str) -> Any:
    """What tells ``item`` apart in its list: its merge key (and protocol, for ports)."""
    if key in PROTOCOL_KEYS:
        protocol = item.get("protocol", "TCP")
        return (item[key], protocol if _is_key(protocol) else repr(protocol))
    return item[key]


def _identifying(item: dict[str, Any], key: str) -> dict[str, Any]:
    fields = [key, "protocol"] if key in PROTOCOL_KEYS else [key]
    return {f: item[f] for f in fields if f in item}


def _is_key(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def merge(base: Any, patch: Any, field: str = "") -> Any:
    """``base`` with ``patch`` merged in (strategic-merge rules); neither is changed."""
    if isinstance(patch, dict):
        result = _retained(base, patch, field)
        for key, value in patch.items():
            if key == RETAIN_KEYS:
                continue
            if value is None:
                result.pop(key, None)
            else:
                result[key] = merge(result.get(key), value, key)
        return result
    if isinstance(base, list) and isinstance(patch, list):
        key = merge_key(field, base, patch)
        if key is not None:
            return _merge_items(base, patch, field, key)
    return copy.deepcopy(patch)


def _retained(base: Any, patch: dict[str, Any], field: str) -> dict[str, Any]:
    """The keys of ``base`` a patch keeps: those ``$retainKeys`` lists, and
    none of the members of :data:`ONE_OF` but the one the patch sets."""
    result = dict(base) if isinstance(base, dict) else {}
    if isinstance(patch.get(RETAIN_KEYS), list):
        result = {k: v for k, v in result.items() if k in patch[RETAIN_KEYS]}
    members = ONE_OF.get(field, frozenset())
    if any(patch.get(k) is not None for k in members):
        result = {k: v for k, v in result.items() if k not in members or k in patch}
    return result


def _merge_items(base: list[Any], patch: list[Any], field: str, key: str) -> list[Any]:
    result = list(base)
    where = {identity(item, key): index for index, item in enumerate(base)}
    for item in patch:
        if identity(item, key) in where:
            index = where[identity(item, key)]
            result[index] = merge(result[index], item, field)
        else:
            result.append(merge({}, item, field))
    return result


def diff(base: Any, target: Any, field: str = "") -> Any:
    """The patch that makes ``base`` hold every field of ``target`` with its value;
    ``None`` when it already does. ``None`` values in ``target`` mean unset."""
    found = _diff(base, target, field)
    return None if found is _SAME else found


def _diff(base: Any, target: Any, field: str) -> Any:
    if isinstance(base, dict) and isinstance(target, dict):
        if _other_member(base, target, field):
            return {RETAIN_KEYS: sorted(target), **copy.deepcopy(target)}
        result = {}
        for key, value in target.items():
            change = _SAME if value is None else _diff(base.get(key, _SAME), value, key)
            if change is not _SAME:
                result[key] = change
        for key in UNSET_WHEN_ABSENT.get(field, frozenset()):
            if key in base and key not in target:
                result[key] = None
        return result or _SAME
    if isinstance(base, list) and isinstance(target, list):
        key = merge_key(field, base, target)
        if key is not None:
            return _diff_items(base, target, field, key)
    if not list(uncovered(base, target, field)):
        return _SAME
    return copy.deepcopy(target)


def _other_member(base: dict[str, Any], target: dict[str, Any], field: str) -> bool:
    """True when ``target`` sets another member of :data:`ONE_OF` than ``base``
    (an ``httpGet`` probe for a ``tcpSocket`` one): the patch replaces it whole."""
    members = ONE_OF.get(field, frozenset())
    wanted = {k for k in target if k in members and target[k] is not None}
    return bool(wanted) and wanted != {k for k in base if k in members}


def _diff_items(base: list[Any], target: list[Any], field: str, key: str) -> Any:
    known = {identity(item, key): item for item in base}
    result = []
    for item in target:
        if identity(item, key) not in known:
            result.append(copy.deepcopy(item))
            continue
        change = _diff(known[identity(item, key)], item, field)
        if change is not _SAME:
            result.append({**_identifying(item, key), **change})
    return result or _SAME


def uncovered(output: Any, wanted: Any, field: str = "", path: str = "") -> Iterator[str]:
    """The paths of ``wanted``'s fields that ``output`` lacks or holds with another
    value. Lists of named items are matched by their merge key, others by
    position; a ``None`` in ``wanted`` means unset and is always covered."""
    if wanted is None:
        return
    if isinstance(wanted, dict) and isinstance(output, dict):
        for key, value in wanted.items():
            yield from uncovered(output.get(key), value, key, f"{path}.{key}" if path else key)
    elif isinstance(wanted, list) and isinstance(output, list):
        yield from _uncovered_items(output, wanted, field, path)
    elif type(output) is not type(wanted) or output != wanted:
        yield f"{path or '.'}: {wanted!r} (output: {output!r})"


def _uncovered_items(output: list[Any], wanted: list[Any], field: str, path: str) -> Iterator[str]:
    key = merge_key(field, output, wanted)
    if key is None:
        if len(output) != len(wanted):
            yield f"{path}: {wanted!r} (output: {output!r})"
            return
        for index, (got, item) in enumerate(zip(output, wanted, strict=True)):
            yield from uncovered(got, item, field, f"{path}[{index}]")
        return
    known = {identity(item, key): item for item in output}
    for item in wanted:
        where = f"{path}[{key}={item[key]}]"
        yield from uncovered(known.get(identity(item, key)), item, field, where)


def applies(patch: ir.Patch, rendered: Rendered) -> bool:
    """True when ``patch`` is for ``rendered`` (same kind, and same name if named)."""
    return rendered.kind == patch.kind and patch.name in (None, rendered.name)


def apply_patches(app: ir.App, objects: list[Rendered]) -> list[Rendered]:
    """Every object with its tier's patches merged in, in order."""
    if not any(tier.patches for tier in app.tiers):
        return objects
    return list(patch_each(app, objects))


def patch_each(app: ir.App, objects: Iterable[Rendered]) -> Iterator[Rendered]:
    """The objects of :func:`apply_patches`, one at a time, as ``objects`` come."""
    patches = {tier.name: tier.patches for tier in app.tiers if tier.patches}
    for rendered in objects:
        manifest = rendered.manifest
        for patch in patches.get(rendered.tier or "", []):
            if applies(patch, rendered):
                manifest = patch_object(rendered.kind, manifest, patch.patch)
        yield rendered if manifest is rendered.manifest else Rendered(rendered.tier, manifest)


def patch_object(kind: str, manifest: Any, patch: dict[str, Any]) -> Any:
    """``manifest`` (an object of ``kind``) with ``patch`` merged in, the lists
    of :data:`ADDITIVE` extended with the patch's new items."""
    for path in ADDITIVE.get(kind, ()):
        added, base = _at(patch, path), _at(manifest, path)
        if isinstance(added, list) and isinstance(base, list):
            patch = _with(patch, path, [*base, *(item for item in added if item not in base)])
    return merge(manifest, patch)


def _at(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _with(obj: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of ``obj`` with ``value`` at ``path`` (its mappings copied on the way)."""
    head, *rest = path
    inner = value if not rest else _with(obj.get(head) or {}, tuple(rest), value)
    return {**obj, head: inner}


def removed_rules(kind: str, patch: dict[str, Any]) -> list[str]:
    """The lists of :data:`ADDITIVE` (or their parents) that ``patch`` removes with ``None``."""
    found = []
    for path in ADDITIVE.get(kind, ()):
        for depth in range(1, len(path) + 1):
            if _at(patch, path[:depth]) is None and _has(patch, path[:depth]):
                found.append(".".join(path[:depth]))
    return sorted(set(found))


def _has(obj: Any, path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return False
        obj = obj[key]
    return True


def identity_changes(patch: dict[str, Any]) -> list[str]:
    """The identifying fields (kind, name, ...) that ``patch`` would change."""
    found = []
    for path in IDENTITY:
        value: Any = patch
        for part in path:
            value = value.get(part, _SAME) if isinstance(value, dict) else _SAME
        if value is not _SAME:
            found.append(".".join(path))
    return found
