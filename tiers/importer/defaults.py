"""Values the API server fills in when a field is left out, as ``kubectl get
-o yaml`` and many hand-written manifests spell them out: an input field at
its default that the built object leaves out means the same, so it is no
reason for a patch (``securityContext: {privileged: false}``,
``terminationGracePeriodSeconds: 30``, ``dnsPolicy: ClusterFirst``,
``restartPolicy: Always``, the only one a Deployment's pods may have).
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, dict[str, object]] = {
    "containers.securityContext": {"privileged": False},
    "template.spec": {
        "terminationGracePeriodSeconds": 30,
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "schedulerName": "default-scheduler",
        "securityContext": {},
    },
    "containers": {
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    },
    "spec": {"revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
}
"""Defaults by where they sit: the key of the mapping that holds them
(``containers`` for each container, ``template.spec`` for the pod,
``containers.securityContext`` for a container's security context)."""

INHERITED = ("runAsUser", "runAsGroup", "runAsNonRoot")
"""A container's security settings that, left out, are the pod's: one the
input sets on the container to the value the built pod sets means the same."""


def without_defaults(wanted: Any, built: Any, where: str = "", pod: Any = None) -> Any:
    """``wanted`` without the fields at their API default that ``built``
    leaves out (compared at the same place), nor a container's settings the
    built pod sets alike (``pod``: its securityContext); capability names as
    the runtime reads them (``all`` is ``ALL``); everything else as it is."""
    if isinstance(wanted, dict):
        built = built if isinstance(built, dict) else {}
        if where == "template.spec":
            pod = built.get("securityContext")
            wanted = same_emptydirs(wanted, built)
        pod = pod if isinstance(pod, dict) else {}
        defaults = DEFAULTS.get(where, {})
        kept = {}
        for key, value in wanted.items():
            if key in defaults and value == defaults[key] and key not in built:
                continue
            inherited = where == "containers.securityContext" and key in INHERITED
            if inherited and key not in built and pod.get(key) == value:
                continue
            place = _place(where, key)
            kept[key] = without_defaults(_capabilities(value, place), built.get(key), place, pod)
        return kept
    if isinstance(wanted, list) and isinstance(built, list):
        named = {_name(i): i for i in built if _name(i) is not None}
        return [
            without_defaults(item, named.get(_name(item)), where, pod) if _name(item) else item
            for item in wanted
        ]
    return wanted


def _capabilities(value: Any, where: str) -> Any:
    """Capability names in upper case, as containerd's CRI reads them (it
    matches ``ALL`` and each name case-insensitively)."""
    if where != "capabilities" or not isinstance(value, dict):
        return value
    return {
        k: [c.upper() for c in v]
        if isinstance(v, list) and all(isinstance(c, str) for c in v)
        else v
        for k, v in value.items()
    }


def _name(item: Any) -> str | None:
    """A list item's name, when it is a mapping with a string name."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def _place(where: str, key: str) -> str:
    if key == "securityContext":
        return "containers.securityContext" if where == "containers" else key
    if key in ("containers", "initContainers"):
        return "containers"
    if where == "template" and key == "spec":
        return "template.spec"
    return key


def same_emptydirs(wanted: dict[str, Any], built: dict[str, Any]) -> dict[str, Any]:
    """The pod spec ``wanted`` with each ``emptyDir: {}`` that one container
    alone mounts, at a path where the built pod mounts an ``emptyDir: {}`` of
    another name, under the built name: a volume's name means nothing outside
    its pod, so it is no reason for a patch."""
    renames = {}
    built_empty = _empty_dirs(built)
    taken = {v.get("name") for v in _dicts(wanted.get("volumes"))}
    by_path = {
        (c.get("name"), m.get("mountPath")): m.get("name")
        for c in _containers(built)
        for m in _dicts(c.get("volumeMounts"))
        if m.get("name") in built_empty
    }
    mounts = [
        (c.get("name"), m) for c in _containers(wanted) for m in _dicts(c.get("volumeMounts"))
    ]
    count: dict[Any, int] = {}
    for _, mount in mounts:
        count[mount.get("name")] = count.get(mount.get("name"), 0) + 1
    for container, mount in mounts:
        name, target = mount.get("name"), by_path.get((container, mount.get("mountPath")))
        plain = set(mount) == {"name", "mountPath"}
        alone = name in _empty_dirs(wanted) and count[name] == 1 and plain
        if alone and target is not None and target != name and target not in taken:
            renames[name] = target
    if not renames:
        return wanted
    return {
        **wanted,
        "volumes": [_renamed(v, renames) for v in _dicts(wanted.get("volumes"))],
        **{
            key: [
                {**c, "volumeMounts": [_renamed(m, renames) for m in _dicts(c.get("volumeMounts"))]}
                if "volumeMounts" in c
                else c
                for c in _dicts(wanted.get(key))
            ]
            for key in ("initContainers", "containers")
            if key in wanted
        },
    }


def _empty_dirs(spec: dict[str, Any]) -> set[Any]:
    return {
        v.get("name")
        for v in _dicts(spec.get("volumes"))
        if v.get("emptyDir") == {} and set(v) == {"name", "emptyDir"}
    }


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*_dicts(spec.get("initContainers")), *_dicts(spec.get("containers"))]


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _renamed(item: dict[str, Any], renames: dict[Any, str]) -> dict[str, Any]:
    name = item.get("name")
    return {**item, "name": renames[name]} if name in renames else item
