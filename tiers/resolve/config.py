"""ConfigMaps: read their files, place them (with a tier, or app-wide when
shared), mount them, and hash their content into the pod template."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tiers import ir
from tiers.diagnostics import Diagnostic, did_you_mean, error
from tiers.location import display_path
from tiers.model import app as model
from tiers.model.base import defined_at
from tiers.model.configmap import ConfigMap, ConfigMapKey
from tiers.resolve.containers import Owner, container_of, owners

HASH_ANNOTATION = "tiers.dev/config-hash"
_NOT_IN_LABEL = re.compile(r"[^a-z0-9-]")
_APP_LABELS = (
    "app.kubernetes.io/instance",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
)


@dataclass(slots=True)
class _Use:
    """A ConfigMap and the tiers that use it."""

    spec: ConfigMap
    tiers: list[tuple[model.Tier, ir.Tier]] = field(default_factory=list)
    resolved: ir.ConfigMap | None = None


def resolve_config_maps(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Resolve every ConfigMap a tier mounts or reads, then mount and hash them."""
    uses = _uses(pairs)
    for use in uses.values():
        use.resolved = _resolve(use, diagnostics)
        place = use.tiers[0][1].config_maps if len(use.tiers) == 1 else result.config_maps
        place.append(use.resolved)
    for tier, resolved in pairs:
        _check_keys(tier, uses, diagnostics)
        _mount(tier, resolved, uses)
        _annotate(tier, resolved, uses)


def config_maps_of(tier: model.Tier) -> list[ConfigMap]:
    """The ConfigMaps ``tier``'s containers mount or read a key of, each once, in order."""
    found: dict[int, ConfigMap] = {}
    for _, owner in owners(tier):
        for mounted in owner.mounts.values():
            if isinstance(mounted, ConfigMap):
                found.setdefault(id(mounted), mounted)
        for value in owner.env.values():
            if isinstance(value, ConfigMapKey):
                found.setdefault(id(value.config_map), value.config_map)
    return list(found.values())


def _uses(pairs: list[tuple[model.Tier, ir.Tier]]) -> dict[int, _Use]:
    uses: dict[int, _Use] = {}
    for tier, resolved in pairs:
        for config_map in config_maps_of(tier):
            uses.setdefault(id(config_map), _Use(config_map)).tiers.append((tier, resolved))
    return uses


def _resolve(use: _Use, diagnostics: list[Diagnostic]) -> ir.ConfigMap:
    spec = use.spec
    owner = use.tiers[0][0].name
    data = dict(spec.data)
    for key, path in spec.files.items():
        text = _read(spec, key, Path(path), owner, diagnostics)
        if key in data:
            diagnostics.append(_error(spec, owner, f"files.{key}", _twice(key)))
        data[key] = text
    namespace = spec.namespace or _namespace(use, diagnostics)
    labels = _labels(use)
    return ir.ConfigMap(
        meta=ir.Meta(spec.name, namespace, {**labels, **spec.labels}, dict(spec.annotations)),
        data=data,
        users=[t.name for t, _ in use.tiers],
        location=defined_at(spec),
    )


def _labels(use: _Use) -> dict[str, str]:
    """The tier's labels; for a shared ConfigMap, only those of the whole app."""
    first = use.tiers[0][1].workload.meta.labels
    if len(use.tiers) == 1:
        return dict(first)
    return {k: first[k] for k in _APP_LABELS if k in first}


def _twice(key: str) -> str:
    return f"key '{key}' is given both in data and in files; keep one of them"


def _read(spec: ConfigMap, key: str, path: Path, tier: str, found: list[Diagnostic]) -> str:
    full = path if path.is_absolute() else Path(defined_at(spec).file).parent / path
    shown = display_path(str(full))
    try:
        return full.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problem = (
            f"no such file: {shown} (relative paths start at the file that creates the ConfigMap)"
        )
    except UnicodeDecodeError as exc:
        problem = f"{shown} is not UTF-8 text (byte {exc.start}); ConfigMap data must be text"
    except OSError as exc:
        problem = f"cannot read {shown}: {exc.strerror}"
    found.append(_error(spec, tier, f"files.{key}", f"ConfigMap '{spec.name}': {problem}"))
    return ""


def _namespace(use: _Use, diagnostics: list[Diagnostic]) -> str:
    namespace = use.spec.namespace or use.tiers[0][1].namespace
    for tier, resolved in use.tiers:
        if resolved.namespace != namespace:
            message = (
                f"ConfigMap '{use.spec.name}' is in namespace '{namespace}' but tier "
                f"'{tier.name}' runs in '{resolved.namespace}', and a pod can only use "
                "ConfigMaps of its own namespace: make one ConfigMap per namespace"
            )
            diagnostics.append(_error(use.spec, tier.name, "namespace", message))
    return namespace


def _error(spec: ConfigMap, tier: str, path: str, message: str) -> Diagnostic:
    return error("config-map", message, tier=tier, field=path, location=defined_at(spec))


def _check_keys(tier: model.Tier, uses: dict[int, _Use], diagnostics: list[Diagnostic]) -> None:
    for origin, owner in owners(tier):
        _check_container_keys(tier, origin, owner, uses, diagnostics)


def _check_container_keys(
    tier: model.Tier,
    origin: str,
    owner: Owner,
    uses: dict[int, _Use],
    diagnostics: list[Diagnostic],
) -> None:
    for name, value in owner.env.items():
        if not isinstance(value, ConfigMapKey):
            continue
        resolved = uses[id(value.config_map)].resolved
        if resolved is None or value.key in resolved.data:
            continue
        keys = sorted(resolved.data)
        diagnostics.append(
            error(
                "config-map-key",
                f"ConfigMap '{resolved.meta.name}' has no key '{value.key}' "
                f"(its keys: {', '.join(keys) or 'none'}).{did_you_mean(value.key, keys)}",
                tier=tier.name,
                field=ir.field_path(origin, f"env.{name}"),
                location=defined_at(tier),
            )
        )


def _mount(tier: model.Tier, resolved: ir.Tier, uses: dict[int, _Use]) -> None:
    volumes: dict[int, str] = {}
    workload = resolved.workload
    for origin, owner in owners(tier):
        container = container_of(workload, origin)
        for path, config_map in owner.mounts.items():
            if id(config_map) not in volumes:
                volumes[id(config_map)] = _volume_name(config_map.name, _taken(workload))
                volume = ir.Volume(volumes[id(config_map)], config_map=config_map.name)
                workload.volumes.append(volume)
            mount = ir.VolumeMount(volumes[id(config_map)], path, read_only=True)
            container.volume_mounts.append(mount)


def _taken(workload: ir.Workload) -> set[str]:
    """The names already used by the pod's volumes, its claims' included."""
    return {v.name for v in workload.volumes} | {c.name for c in workload.volume_claims}


def _volume_name(name: str, taken: set[str]) -> str:
    """A DNS label for the volume of ConfigMap ``name``, unique in the pod."""
    base = _NOT_IN_LABEL.sub("-", name.lower())[:56].strip("-") or "config"
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def config_hash(config_maps: list[ir.ConfigMap]) -> str:
    """``sha256:<hex>`` over the canonical content (names and data) of ``config_maps``."""
    content = sorted([c.meta.name, c.data] for c in config_maps)
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _annotate(tier: model.Tier, resolved: ir.Tier, uses: dict[int, _Use]) -> None:
    used = [uses[id(c)].resolved for c in config_maps_of(tier)]
    present = [c for c in used if c is not None]
    if present:
        resolved.workload.pod_annotations[HASH_ANNOTATION] = config_hash(present)
