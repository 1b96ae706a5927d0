"""Objects kept beside the app that its pods still name: the warning of each
says which workloads name it and how, so that the user applies it with the
app (a PersistentVolumeClaim a pod mounts, a ConfigMap or Secret it reads, a
ServiceAccount it runs as)."""

from __future__ import annotations

from typing import Any

from tiers.importer.group import Group, Omission, dig, items

NAMED = ("PersistentVolumeClaim", "ConfigMap", "Secret", "ServiceAccount")


def named_by(warnings: list[Omission], groups: list[Group]) -> list[Omission]:
    """``warnings`` with each object left out that a pod names said so."""
    uses: dict[tuple[str, str | None, str], list[str]] = {}
    for g in groups:
        for kind, name, how in _names(dig(g.pod_template, "spec")):
            uses.setdefault((kind, g.namespace, name), []).append(
                f"{g.workload.kind} '{g.workload.name}' ({how})"
            )
    found = []
    for w in warnings:
        key = (w.source.kind, w.source.namespace or _namespace(groups), w.source.name)
        users = uses.get(key) if w.whole and w.source.kind in NAMED else None
        if users:
            message = (
                f"{w.message}. The app's pods still name it: {', '.join(sorted(set(users)))}; "
                "apply it with the app (it is not in the YAML tiers writes)"
            )
            w = Omission(w.source, message, whole=True)
        found.append(w)
    return found


def _namespace(groups: list[Group]) -> str | None:
    return groups[0].default_namespace if groups else None


def _names(spec: Any) -> list[tuple[str, str, str]]:
    """(kind, name, how) of each object a pod spec names."""
    found: list[tuple[str, str, str]] = []
    account = dig(spec, "serviceAccountName") or dig(spec, "serviceAccount")
    if isinstance(account, str):
        found.append(("ServiceAccount", account, "serviceAccountName"))
    for volume in items(dig(spec, "volumes")):
        for key, kind, field in (
            ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName"),
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
        ):
            name = dig(volume, key, field)
            if isinstance(name, str):
                found.append((kind, name, f"volume '{volume.get('name')}'"))
    containers = [*items(dig(spec, "initContainers")), *items(dig(spec, "containers"))]
    for container in containers:
        for source in items(container.get("envFrom")):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                name = dig(source, key, "name")
                if isinstance(name, str):
                    found.append((kind, name, "envFrom"))
        for env in items(container.get("env")):
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                name = dig(env, "valueFrom", key, "name")
                if isinstance(name, str):
                    found.append((kind, name, f"env {env.get('name')}"))
    return found
