"""An input object is a subset of an output object: the round-trip criterion of
``tiers import``, written independently of tiers' own patch code.

Mappings: every key of the input is in the output with a covered value.
Lists of named items (containers, env vars, ports, volumes, mounts) are matched
by their name or port (an empty one is covered by any), other lists item by
item. Scalars are equal, type
included (``1`` is not ``True``, ``"80"`` is not ``80``). ``None`` in the
input means unset and is always covered, and so is a field the output leaves
out whose input value is the one the API server fills in (:data:`API_DEFAULTS`).
"""

from __future__ import annotations

from typing import Any

IDENTITIES = ("name", "containerPort", "port", "mountPath", "devicePath", "ip")
API_DEFAULTS: dict[str, object] = {
    "privileged": False,  # SecurityContext.privileged
    "terminationGracePeriodSeconds": 30,  # PodSpec
    "dnsPolicy": "ClusterFirst",  # PodSpec
    "restartPolicy": "Always",  # PodSpec
    "schedulerName": "default-scheduler",  # PodSpec
    "terminationMessagePath": "/dev/termination-log",  # Container
    "terminationMessagePolicy": "File",  # Container
    "revisionHistoryLimit": 10,  # DeploymentSpec
    "progressDeadlineSeconds": 600,  # DeploymentSpec
}
"""Defaults of the Kubernetes API reference (v1.30) for fields an object may
leave out: the stored object holds these values either way."""


def missing(output: Any, wanted: Any, path: str = "") -> list[str]:
    """The paths where ``wanted`` is not covered by ``output``; empty when it is."""
    if wanted is None:
        return []
    if isinstance(wanted, dict) and "containers" in wanted and isinstance(output, dict):
        wanted, output = by_mounts(wanted), by_mounts(output)
    if isinstance(wanted, dict):
        if not isinstance(output, dict):
            return [f"{path}: expected a mapping, got {output!r}"]
        found: list[str] = []
        for key, value in wanted.items():
            if key not in output and key in API_DEFAULTS and value == API_DEFAULTS[key]:
                continue
            found += missing(output.get(key), value, f"{path}.{key}")
        return found
    if isinstance(wanted, list):
        return _missing_items(output, wanted, path)
    if type(output) is not type(wanted) or output != wanted:
        return [f"{path}: expected {wanted!r}, got {output!r}"]
    return []


def _identity(items: list[Any]) -> str | None:
    for key in IDENTITIES:
        if items and all(isinstance(i, dict) and key in i for i in items):
            return key
    return None


def _missing_items(output: Any, wanted: list[Any], path: str) -> list[str]:
    if not isinstance(output, list):
        return [f"{path}: expected a list, got {output!r}"]
    key = _identity(wanted or output)
    if key is None:
        if len(output) != len(wanted):
            return [f"{path}: expected {len(wanted)} items, got {len(output)}"]
        found: list[str] = []
        for index, (got, item) in enumerate(zip(output, wanted, strict=True)):
            found += missing(got, item, f"{path}[{index}]")
        return found
    by_key = {_key(i, key): i for i in output if isinstance(i, dict)}
    found = []
    for item in wanted:
        if _key(item, key) not in by_key:
            found.append(f"{path}[{key}={item[key]}]: missing")
        else:
            found += missing(by_key[_key(item, key)], item, f"{path}[{key}={item[key]}]")
    return found


def _key(item: dict[str, Any], key: str) -> Any:
    """Ports are one per number and protocol (``53/TCP`` and ``53/UDP``)."""
    if key in ("containerPort", "port"):
        return (item.get(key), item.get("protocol", "TCP"))
    return item.get(key)


def by_mounts(pod: dict[str, Any]) -> dict[str, Any]:
    """A pod spec whose each ``emptyDir: {}`` is named by where it is mounted
    (``@container:path``, every place it is): the name of such a volume means
    nothing outside its pod, so two pods that mount the same empty
    directories at the same places are the same, whatever they call them."""
    places: dict[str, list[str]] = {}
    for key in ("initContainers", "containers"):
        for container in pod.get(key) or []:
            for mount in container.get("volumeMounts") or []:
                if isinstance(mount, dict) and set(mount) == {"name", "mountPath"}:
                    places.setdefault(mount["name"], []).append(
                        f"@{container.get('name')}:{mount['mountPath']}"
                    )
    empty = {
        v["name"]: ",".join(sorted(places.get(v["name"], [])))
        for v in pod.get("volumes") or []
        if isinstance(v, dict) and v.get("emptyDir") == {} and places.get(v.get("name"))
    }

    def renamed(item: Any) -> Any:
        if isinstance(item, dict) and item.get("name") in empty:
            return {**item, "name": empty[item["name"]]}
        return item

    result = dict(pod)
    result["volumes"] = [renamed(v) for v in pod.get("volumes") or []]
    for key in ("initContainers", "containers"):
        if key in pod:
            result[key] = [
                {**c, "volumeMounts": [renamed(m) for m in c["volumeMounts"]]}
                if isinstance(c, dict) and "volumeMounts" in c
                else c
                for c in pod[key]
            ]
    if "volumes" not in pod:
        del result["volumes"]
    return result
