"""Jobs, CronJobs and DaemonSets: their class, the tier fields their kind
refuses, and one reader per field of their own (:data:`KIND_FIELDS`), as
:data:`~tiers.importer.plan.TIER_FIELDS` does for every tier.

A field the input leaves out takes Kubernetes' default, which is written
where tiers' default differs (a CronJob without ``concurrencyPolicy`` is
``Allow`` in Kubernetes, ``Forbid`` in tiers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from tiers.importer.group import BATCH, Group, Plan, Scope, dig, items, scalar
from tiers.importer.read import Source
from tiers.model.app import Tier
from tiers.model.workloads import Batch, CronJob, DaemonSet, HostPath, HostPathType, Job, Toleration

CLASSES: dict[str, type[Tier]] = {"Job": Job, "CronJob": CronJob, "DaemonSet": DaemonSet}
"""Workload kind → the tier class that makes it."""

REFUSED = frozenset({"replicas", "stateful", "storage", "disruption_budget"})
"""Tier fields none of these kinds takes (see :mod:`tiers.checks.batch`)."""

HOST_PATH_TYPES = frozenset(
    {"Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket", "CharDevice"}
    | {"BlockDevice"}
)
Reader = Callable[[Plan, Scope], Any]


def attach_policy_selectors(groups: list[Group], sources: list[Source]) -> None:
    """Give each Job's group the selector of the NetworkPolicy tiers wrote for it
    (``<tier>-network-policy``), when it selects a subset of the Job's pod labels."""
    policies = {(s.namespace, s.name): s.manifest for s in sources if s.kind == "NetworkPolicy"}
    for g in groups:
        if g.workload.kind not in BATCH:
            continue
        name = g.pod_labels.get("app.kubernetes.io/name", g.workload.name)
        policy = policies.get((g.workload.namespace, f"{name}-network-policy"))
        found = dig(policy, "spec", "podSelector", "matchLabels")
        if isinstance(found, dict) and found and found.items() <= g.pod_labels.items():
            g.policy_selector = {str(k): str(v) for k, v in found.items()}


def kind_class(kind: str) -> type[Tier] | None:
    """The class of a Job, CronJob or DaemonSet; ``None`` for other kinds."""
    return CLASSES.get(kind)


def _job_spec(plan: Plan) -> Any:
    manifest = plan.group.workload.manifest
    if plan.group.workload.kind == "CronJob":
        return dig(manifest, "spec", "jobTemplate", "spec")
    return dig(manifest, "spec")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _job_field(key: str, default: int | None = None) -> Reader:
    return lambda plan, scope: _or(_int(dig(_job_spec(plan), key)), default)


def _cron_field(key: str, default: Any = None) -> Reader:
    def read(plan: Plan, scope: Scope) -> Any:
        value = dig(plan.group.workload.manifest, "spec", key)
        return default if value is None else value

    return read


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _restart_policy(plan: Plan, scope: Scope) -> Any:
    policy = dig(plan.group.pod_template, "spec", "restartPolicy")
    return policy if policy in ("Never", "OnFailure") else "Never"


def _update_strategy(plan: Plan, scope: Scope) -> Any:
    found = dig(plan.group.workload.manifest, "spec", "updateStrategy", "type")
    return found if found in ("RollingUpdate", "OnDelete") else "RollingUpdate"


def _max_unavailable(plan: Plan, scope: Scope) -> Any:
    strategy = dig(plan.group.workload.manifest, "spec", "updateStrategy")
    found = scalar(dig(strategy, "rollingUpdate", "maxUnavailable"))
    return 1 if found is None or dig(strategy, "type") == "OnDelete" else found


def _tolerations(plan: Plan, scope: Scope) -> Any:
    found = []
    for item in items(dig(plan.group.pod_template, "spec", "tolerations")):
        exists = item.get("operator") == "Exists"
        found.append(
            Toleration(
                item.get("key") if isinstance(item.get("key"), str) else None,
                value=None if exists else str(item.get("value", "")),
                effect=item.get("effect"),
                toleration_seconds=_int(item.get("tolerationSeconds")),
            )
        )
    return found


def _host_paths(plan: Plan, scope: Scope) -> Any:
    """The first container's mounts of ``hostPath`` volumes tiers can write."""
    volumes = {
        v.get("name"): v["hostPath"]
        for v in items(dig(plan.group.pod_template, "spec", "volumes"))
        if isinstance(v.get("hostPath"), dict)
    }
    found = []
    for mount in items(plan.container.get("volumeMounts")):
        source = volumes.get(mount.get("name"))
        path = dig(source, "path")
        kind = dig(source, "type") or "Directory"
        if not isinstance(path, str) or kind not in HOST_PATH_TYPES or mount.get("subPath"):
            continue
        mount_path = mount.get("mountPath")
        found.append(
            HostPath(
                path,
                None if mount_path == path else mount_path,
                read_only=mount.get("readOnly") is True,
                type=cast(HostPathType, kind),
            )
        )
    return found


BATCH_FIELDS: tuple[tuple[str, Reader], ...] = (
    ("restart_policy", _restart_policy),
    ("backoff_limit", _job_field("backoffLimit", 6)),
    ("active_deadline_seconds", _job_field("activeDeadlineSeconds")),
    ("ttl_seconds_after_finished", _job_field("ttlSecondsAfterFinished")),
)

KIND_FIELDS: dict[type[Tier], tuple[tuple[str, Reader], ...]] = {
    Job: BATCH_FIELDS,
    CronJob: (
        *BATCH_FIELDS,
        ("schedule", _cron_field("schedule", "")),
        ("time_zone", _cron_field("timeZone")),
        ("concurrency_policy", _cron_field("concurrencyPolicy", "Allow")),
        ("successful_jobs_history_limit", _cron_field("successfulJobsHistoryLimit", 3)),
        ("failed_jobs_history_limit", _cron_field("failedJobsHistoryLimit", 1)),
        ("starting_deadline_seconds", _cron_field("startingDeadlineSeconds")),
        ("suspend", _cron_field("suspend", False)),
    ),
    DaemonSet: (
        ("host_paths", _host_paths),
        ("tolerations", _tolerations),
        ("update_strategy", _update_strategy),
        ("max_unavailable", _max_unavailable),
    ),
}
"""Tier class → its own fields and how to read each from the group."""


def refused(cls: type[Tier]) -> frozenset[str]:
    """The tier fields ``cls`` does not take."""
    return REFUSED if issubclass(cls, Batch | DaemonSet) else frozenset()
