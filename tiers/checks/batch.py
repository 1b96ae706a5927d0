"""Checks of Jobs and CronJobs: the fields they have and those they do not,
their numbers, their schedule and time zone, their names, and their sidecars."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic, did_you_mean
from tiers.model.base import given
from tiers.model.workloads import Batch, DaemonSet

BATCH_ONLY_FIELDS = (
    ("replicas", "a Job runs its pods to completion, once"),
    ("port", "a Job has no Service"),
    ("target_port", "a Job has no Service"),
    ("service_name", "a Job has no Service"),
    ("services", "a Job has no Service"),
    ("autoscale", "a Job is not scaled"),
    ("disruption_budget", "a Job's pods are not kept running"),
    ("topology_spread", "a Job runs one pod at a time"),
    ("stateful", "a Job keeps no state of its own; mount a volume by a Patch if it must"),
    ("storage", "a Job keeps no state of its own; mount a volume by a Patch if it must"),
    ("ingress", "a Job has no Service to route to"),
    ("route", "a Job has no Service to route to"),
)
"""Tier fields a Job or CronJob refuses, and why."""

DAEMON_FIELDS = (
    ("replicas", "a DaemonSet runs one pod per node"),
    ("autoscale", "a DaemonSet runs one pod per node"),
    ("disruption_budget", "kubectl drain leaves DaemonSet pods alone"),
    ("topology_spread", "a DaemonSet runs one pod per node"),
    ("stateful", "a DaemonSet keeps no state of its own: mount a host path"),
    ("storage", "a DaemonSet keeps no state of its own: mount a host path"),
)
"""Tier fields a DaemonSet refuses, and why."""

JOB_NAME_LIMIT = 63
"""A Job's name is the value of its pods' ``job-name`` label."""
CRONJOB_NAME_LIMIT = 52
"""A CronJob names its Jobs ``<name>-<11 characters>``, which must fit in 63."""

NUMBERS = (
    ("backoff_limit", 0, "0 means no retry"),
    ("active_deadline_seconds", 1, "the most seconds the Job may run"),
    ("ttl_seconds_after_finished", 0, "0 deletes the Job as soon as it finishes"),
    ("successful_jobs_history_limit", 0, "0 keeps none"),
    ("failed_jobs_history_limit", 0, "0 keeps none"),
    ("starting_deadline_seconds", 0, "how late a missed run may still start"),
)


def check_kind_fields(context: Context) -> Iterator[Diagnostic]:
    """Jobs, CronJobs and DaemonSets are given no field their kind lacks."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        refused: tuple[tuple[str, str], ...]
        if isinstance(written, Batch):
            refused = BATCH_ONLY_FIELDS
        elif isinstance(written, DaemonSet):
            refused = DAEMON_FIELDS
        else:
            continue
        yield from _refused(context, tier, written, refused)


def _refused(
    context: Context,
    tier: ir.Tier,
    written: Batch | DaemonSet,
    refused: tuple[tuple[str, str], ...],
) -> Iterator[Diagnostic]:
    passed = given(written)
    for name, why in refused:
        if name in passed:
            message = f"a {written.kind} has no {name} ({why}): remove it"
            yield context.error("kind-field", message, tier, name)
    if isinstance(written, Batch) and "service" in passed and written.service != "None":
        message = f"a {written.kind} has no Service: remove service={written.service!r}"
        yield context.error("kind-field", message, tier, "service")


def check_job_numbers(context: Context) -> Iterator[Diagnostic]:
    """Retries, deadlines, time to live and history limits are not negative."""
    for tier in context.resolved.tiers:
        written = context.model(tier)
        if not isinstance(written, Batch):
            continue
        for name, least, meaning in NUMBERS:
            value = getattr(written, name, None)
            if isinstance(value, int) and value < least:
                message = f"{value} is below {least}: use {least} or more ({meaning})"
                yield context.error("job-number", message, tier, name)


def check_schedules(context: Context) -> Iterator[Diagnostic]:
    """A CronJob's schedule is one Kubernetes accepts."""
    for tier in context.resolved.tiers:
        cron = tier.workload.cron
        if cron is None:
            continue
        from tiers.checks.cron import SYNTAX, schedule_problem  # only for apps with CronJobs

        problem = schedule_problem(cron.schedule)
        if problem:
            stop = "" if problem.endswith(("?", ".")) else "."
            fix = SYNTAX[0].upper() + SYNTAX[1:]
            message = f"{cron.schedule!r} is not a cron schedule: {problem}{stop} {fix}"
            yield context.error("cron-schedule", message, tier, "schedule")


def check_time_zones(context: Context) -> Iterator[Diagnostic]:
    """A CronJob's time zone is a name of the IANA time zone database."""
    for tier in context.resolved.tiers:
        cron = tier.workload.cron
        known = _zones() if cron is not None and cron.time_zone is not None else None
        if cron is None or cron.time_zone is None or not known:
            continue  # without a time zone database here, the API server will tell
        zone = cron.time_zone
        if zone in known and zone.lower() not in ("local", "factory"):
            continue
        hint = did_you_mean(zone, known) or " For example 'Etc/UTC' or 'Europe/Berlin'."
        if zone.lower() == "local":
            hint = " 'Local' would be the controller's own zone, which Kubernetes refuses: name it."
        message = f"{zone!r} is not a time zone of the IANA database.{hint}"
        yield context.error("cron-time-zone", message, tier, "time_zone")


@functools.cache
def _zones() -> frozenset[str]:
    """The names of the machine's time zone database (read once, when asked)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def check_batch_names(context: Context) -> Iterator[Diagnostic]:
    """A Job's name fits its pods' label (63), a CronJob's its Jobs' names (52)."""
    for tier in context.resolved.tiers:
        kind = tier.workload.kind
        limit = {"Job": JOB_NAME_LIMIT, "CronJob": CRONJOB_NAME_LIMIT}.get(kind)
        name = tier.workload.meta.name
        if limit is None or len(name) <= limit or rules.dns1123_subdomain(name):
            continue
        field = "workload_name" if name != tier.name else "name"
        message = (
            f"'{name}' is {len(name)} characters long: a {kind}'s name has at most {limit}. "
            f"For example '{rules.suggest_name(name, limit)}'."
        )
        yield context.error("workload-name", message, tier, field)


def check_batch_sidecars(context: Context) -> Iterator[Diagnostic]:
    """A Job's sidecars stop when its main container does: native ones only."""
    for tier in context.resolved.tiers:
        if tier.workload.job is None:
            continue
        for container in tier.workload.containers[1:]:
            message = (
                "a regular sidecar keeps the Job's pod running after its main container "
                "exits, so the Job never completes: make it Container(..., native_sidecar=True), "
                "which Kubernetes stops when the main container is done"
            )
            yield context.error("job-sidecar", message, tier, container.origin)
