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
    "securityContext": {"privileged": False},
    "template.spec": {
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
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
(``containers`` for each container, ``template.spec`` for the pod)."""


def without_defaults(wanted: Any, built: Any, where: str = "") -> Any:
    """``wanted`` without the fields at their API default that ``built``
    leaves out (compared at the same place); everything else as it is."""
    if isinstance(wanted, dict):
        built = built if isinstance(built, dict) else {}
        defaults = DEFAULTS.get(where, {})
        kept = {}
        for key, value in wanted.items():
            if key in defaults and value == defaults[key] and key not in built:
                continue
            kept[key] = without_defaults(value, built.get(key), _place(where, key))
        return kept
    if isinstance(wanted, list) and isinstance(built, list):
        named = {_name(i): i for i in built if _name(i) is not None}
        return [
            without_defaults(item, named.get(_name(item)), where) if _name(item) else item
            for item in wanted
        ]
    return wanted


def _name(item: Any) -> str | None:
    """A list item's name, when it is a mapping with a string name."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def _place(where: str, key: str) -> str:
    if key in ("containers", "initContainers", "securityContext"):
        return "containers" if key == "initContainers" else key
    if where == "template" and key == "spec":
        return "template.spec"
    return key
