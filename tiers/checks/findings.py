"""What is weak in one Kubernetes object, judged by its fields alone.

:func:`object_findings` takes an object as a plain dictionary (as tiers
emits it, after patches and templates) and lists every :class:`Finding`:

- its pods' Pod Security level reasons (:func:`tiers.checks.pss.pss_level`);
- tiers' own hardening: a writable root filesystem, a Kubernetes API token,
  a container without CPU and memory requests and limits, a serving
  container without readiness or liveness probes;
- literal credentials: in env values (by the variable's name or inside the
  value), in a container's command and args, in ConfigMap data, and in
  annotations (see :mod:`tiers.checks.credentials`).

It says nothing about where a field came from; :mod:`tiers.checks.emitted`
compares an object before and after each patch to blame the patch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tiers.checks.credentials import find_credential, find_in_args, is_placeholder
from tiers.checks.credentials import looks_like_credential as credential_name
from tiers.checks.pss import containers, pod_specs, pss_level
from tiers.checks.ranges import field_range_problem

SERVING_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
"""Kinds whose pods keep running, so that probes apply."""

SECRET_REF = "SecretKeyRef('{secret}', '{key}')"


@dataclass(frozen=True, slots=True)
class Finding:
    """One weakness of an object: ``path`` is the field (``spec.template.spec.hostNetwork``)."""

    severity: str
    code: str
    path: str
    message: str


def object_findings(manifest: Mapping[str, Any], secret: str = "app-secrets") -> list[Finding]:
    """Every finding of ``manifest``; ``secret`` names the Secret the fixes
    suggest moving a credential to."""
    found = list(_annotation_credentials(manifest, "metadata.", secret))
    for prefix, notes, spec in pod_specs(manifest):
        found += _pod_findings(str(manifest.get("kind")), prefix, notes, spec, secret)
    if manifest.get("kind") == "ConfigMap":
        found += _config_map_credentials(manifest, secret)
    if manifest.get("kind") == "Secret":
        found += _secret_values(manifest)
    if _built_in(manifest):
        found += _integer_ranges(manifest, "")
    return found


BUILT_IN_GROUPS = frozenset({"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io"})
"""API groups whose integer fields :data:`INT32_FIELDS` describes (not a CRD's)."""


def _built_in(manifest: Mapping[str, Any]) -> bool:
    group, _, _ = str(manifest.get("apiVersion", "")).rpartition("/")
    return group in BUILT_IN_GROUPS


def _integer_ranges(value: Any, path: str) -> Iterator[Finding]:
    """Every integer field out of the range Kubernetes accepts for it
    (:func:`tiers.checks.ranges.field_range_problem`): the schema does not
    check them, the API server does."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            problem = field_range_problem(str(key), item)
            if problem:
                yield Finding("error", "integer-range", where, problem)
            yield from _integer_ranges(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = field_range_problem(path.rpartition(".")[2], item)
            if problem:  # the items of an integer list (supplementalGroups)
                yield Finding("error", "integer-range", f"{path}[{index}]", problem)
            yield from _integer_ranges(item, f"{path}[{index}]")


def _pod_findings(
    kind: str, prefix: str, annotations: Mapping[str, Any], spec: Mapping[str, Any], secret: str
) -> list[Finding]:
    found = [_level_finding(prefix, reason) for reason in pss_level(spec, annotations)[1]]
    found += _hardening(prefix, spec, probes=kind in SERVING_KINDS)
    pod = {"metadata": {"annotations": annotations}}
    found += _annotation_credentials(pod, f"{prefix}metadata.", secret)
    for path, container in containers(spec):
        found += _container_credentials(f"{prefix}spec.{path}", container, secret)
    return found


def _level_finding(prefix: str, reason: Any) -> Finding:
    standard = "restricted" if reason.level == "baseline" else "baseline"
    path = reason.field if reason.field.startswith("metadata.") else f"spec.{reason.field}"
    return Finding(
        "warning",
        "security-opt-out",
        prefix + path,
        f"weakens the {standard} Pod Security Standard: {reason.message}",
    )


WEAK_POD = {
    "automountServiceAccountToken": (
        True,
        "the pod gets a Kubernetes API token, usable by anyone who takes over the pod",
    ),
}
WEAK_CONTAINER = {
    "readOnlyRootFilesystem": (
        False,
        "the root filesystem is writable, so an attacker can change the image's files",
    ),
}


def _hardening(prefix: str, spec: Mapping[str, Any], probes: bool) -> Iterator[Finding]:
    if spec.get("automountServiceAccountToken") is not False:
        why = WEAK_POD["automountServiceAccountToken"][1]
        yield _weak(f"{prefix}spec.automountServiceAccountToken", why)
    volumes = spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if _projects_token(volume):
            why = WEAK_POD["automountServiceAccountToken"][1]
            yield _weak(f"{prefix}spec.volumes[{index}].projected", f"{why} (projected)")
    regular = spec.get("containers")
    for index, container in enumerate(regular if isinstance(regular, list) else []):
        if isinstance(container, Mapping):
            yield from _container_hardening(f"{prefix}spec.containers[{index}]", container, probes)


def _projects_token(volume: Any) -> bool:
    """True when ``volume`` mounts a service-account token (``projected``
    with a ``serviceAccountToken`` source): the API token by another way."""
    projected = volume.get("projected") if isinstance(volume, Mapping) else None
    sources = projected.get("sources") if isinstance(projected, Mapping) else None
    return any(
        isinstance(s, Mapping) and s.get("serviceAccountToken") is not None
        for s in (sources if isinstance(sources, list) else [])
    )


def _weak(path: str, why: str) -> Finding:
    return Finding("warning", "security-opt-out", path, f"weakens a secure default: {why}")


def _container_hardening(
    path: str, container: Mapping[str, Any], probes: bool
) -> Iterator[Finding]:
    context = container.get("securityContext")
    if not isinstance(context, Mapping) or context.get("readOnlyRootFilesystem") is not True:
        why = WEAK_CONTAINER["readOnlyRootFilesystem"][1]
        yield _weak(f"{path}.securityContext.readOnlyRootFilesystem", why)
    yield from _resources(path, container)
    if probes and container.get("ports"):
        yield from _probes(path, container)


def _resources(path: str, container: Mapping[str, Any]) -> Iterator[Finding]:
    resources = container.get("resources")
    for part in ("requests", "limits"):
        amounts = resources.get(part) if isinstance(resources, Mapping) else None
        given = amounts if isinstance(amounts, Mapping) else {}
        missing = [r for r in ("cpu", "memory") if r not in given]
        if missing:
            yield Finding(
                "warning",
                "resources-missing",
                f"{path}.resources.{part}",
                f"no {' or '.join(missing)} {part}: the scheduler cannot place the pod by what "
                "it needs, and nothing stops it from starving its neighbours",
            )


PROBE_WHY = {
    "readinessProbe": "Kubernetes sends traffic to pods before they are ready",
    "livenessProbe": "Kubernetes never restarts a pod that hangs",
}


def _probes(path: str, container: Mapping[str, Any]) -> Iterator[Finding]:
    for probe, why in PROBE_WHY.items():
        if not isinstance(container.get(probe), Mapping):
            yield Finding("warning", "probe-disabled", f"{path}.{probe}", f"no probe: {why}")


def _container_credentials(
    path: str, container: Mapping[str, Any], secret: str
) -> Iterator[Finding]:
    env = container.get("env")
    for index, var in enumerate(env if isinstance(env, list) else []):
        if isinstance(var, Mapping) and isinstance(var.get("value"), str):
            name, value = str(var.get("name")), var["value"]
            yield from _env_credential(f"{path}.env[{index}]", name, value, secret)
    for field in ("command", "args"):
        values = container.get(field)
        strings = [str(v) for v in values] if isinstance(values, list) else []
        found = find_in_args(strings)
        if found is not None:
            index, what = found
            yield _credential(
                f"{path}.{field}[{index}]",
                f"{what.what} ({what.masked!r})",
                f"write $(VAR) in its place and set the container's env VAR from "
                f"{SECRET_REF.format(secret=secret, key='VAR')} (Kubernetes expands $(VAR) "
                "in command and args)",
            )


def _env_credential(path: str, name: str, value: str, secret: str) -> Iterator[Finding]:
    ref = SECRET_REF.format(secret=secret, key=name)
    if credential_name(name) and not is_placeholder(value):
        yield _credential(
            path,
            f"a literal value for the credential {name}",
            f"set it from a Secret managed outside Git: env={{'{name}': {ref}}}",
        )
        return
    found = find_credential(value)
    if found is not None:
        yield _credential(
            path,
            f"{found.what} in {name} ({found.masked!r})",
            f"keep the whole value in a Secret: env={{'{name}': {ref}}}, or only the "
            "credential, written $(VAR) in the value with VAR set from a Secret before it",
        )


def _config_map_credentials(manifest: Mapping[str, Any], secret: str) -> Iterator[Finding]:
    data = manifest.get("data")
    for key, value in data.items() if isinstance(data, Mapping) else []:
        if not isinstance(value, str):
            continue
        what = _credential_in(str(key), value)
        if what:
            yield _credential(
                f"data[{key}]",
                what,
                "a ConfigMap is plain text in Git and readable by anyone who can read the "
                f"namespace's ConfigMaps: keep the value in a Secret ({secret}) and mount or "
                "reference that instead",
            )


def _secret_values(manifest: Mapping[str, Any]) -> Iterator[Finding]:
    """A Secret that holds values: whatever it holds is then in Git, base64 or not."""
    for part in ("stringData", "data"):
        values = manifest.get(part)
        for key, value in values.items() if isinstance(values, Mapping) else []:
            if isinstance(value, str) and not is_placeholder(value):
                yield _credential(
                    f"{part}[{key}]",
                    f"the Secret's value for {key}",
                    "create the Secret outside Git (kubectl create secret, a SealedSecret, an "
                    "ExternalSecret) and reference it (SecretKeyRef); for a throwaway "
                    "development cluster, DevSecret(...)",
                )


def _annotation_credentials(
    manifest: Mapping[str, Any], prefix: str, secret: str
) -> Iterator[Finding]:
    metadata = manifest.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    for key, value in annotations.items() if isinstance(annotations, Mapping) else []:
        what = _credential_in(str(key).rpartition("/")[2], value) if isinstance(value, str) else ""
        if what:
            yield _credential(
                f"{prefix}annotations[{key}]",
                what,
                "annotations are plain text in Git and readable by anyone who can read the "
                f"object: keep the credential in a Secret ({secret}) and give its name instead",
            )


def _credential_in(key: str, value: str) -> str:
    """What credential a ``key: value`` entry holds (``""`` when none): by the key's
    name, or inside the value."""
    if credential_name(key) and not is_placeholder(value):
        return f"a literal value for {key}"
    found = find_credential(value)
    return f"{found.what} ({found.masked!r})" if found is not None else ""


def _credential(path: str, what: str, fix: str) -> Finding:
    return Finding(
        "error",
        "credential-literal",
        path,
        f"{what} would be committed to Git in plain text: {fix}",
    )
