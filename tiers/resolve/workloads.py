"""Jobs, CronJobs and DaemonSets: the workload kind of such a tier, its own
spec (retries, deadlines, schedule, update strategy), its pods' restart
policy and tolerations, and the node paths a DaemonSet mounts.

Runs first among the resolvers: the core made every tier a Deployment, and
what comes after (autoscalers, policies, namespaces) reads the kind.
"""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.base import given
from tiers.model.workloads import Batch, CronJob, DaemonSet, HostPath, Toleration
from tiers.resolve.pods import volume_name

HOST_VOLUME_PREFIX = "host-"


def resolve_workload_kinds(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Give each Job, CronJob and DaemonSet tier its kind and spec."""
    for tier, resolved in pairs:
        if isinstance(tier, Batch):
            _batch(tier, resolved.workload)
            resolved.services = []  # a Job has none: tiers.checks.batch says so
        elif isinstance(tier, DaemonSet):
            _daemon(tier, resolved.workload)


def _batch(tier: Batch, workload: ir.Workload) -> None:
    workload.kind = tier.kind
    workload.replicas = None
    workload.restart_policy = tier.restart_policy
    workload.job = ir.JobSpec(
        backoff_limit=tier.backoff_limit,
        active_deadline_seconds=tier.active_deadline_seconds,
        ttl_seconds_after_finished=tier.ttl_seconds_after_finished,
    )
    if isinstance(tier, CronJob):
        workload.cron = ir.CronSpec(
            schedule=tier.schedule,
            time_zone=tier.time_zone,
            concurrency_policy=tier.concurrency_policy,
            successful_jobs_history_limit=tier.successful_jobs_history_limit,
            failed_jobs_history_limit=tier.failed_jobs_history_limit,
            starting_deadline_seconds=tier.starting_deadline_seconds,
            suspend=tier.suspend,
        )
    if "probes" not in given(tier):  # it runs to completion: nothing to probe
        main = workload.containers[0]
        main.readiness = main.liveness = None


def _daemon(tier: DaemonSet, workload: ir.Workload) -> None:
    workload.kind = "DaemonSet"
    workload.replicas = None
    workload.daemon = ir.DaemonSpec(tier.update_strategy, tier.max_unavailable)
    workload.tolerations = [_toleration(t) for t in tier.tolerations]
    main = workload.containers[0]
    for index, host_path in enumerate(tier.host_paths):
        name = host_volume_name(host_path)
        origin = f"host_paths[{index}]"
        workload.volumes.append(
            ir.Volume(name, host_path=host_path.path, host_path_type=host_path.type, origin=origin)
        )
        mount_path = host_path.mount_path or host_path.path
        main.volume_mounts.append(ir.VolumeMount(name, mount_path, read_only=host_path.read_only))


def host_volume_name(host_path: HostPath) -> str:
    """The pod's volume of a node path: ``/var/log`` → ``host-var-log``."""
    return volume_name(f"{HOST_VOLUME_PREFIX}{host_path.path}")


def _toleration(toleration: Toleration) -> ir.Toleration:
    return ir.Toleration(
        key=toleration.key,
        operator="Exists" if toleration.value is None else "Equal",
        value=toleration.value,
        effect=toleration.effect,
        toleration_seconds=toleration.toleration_seconds,
    )
