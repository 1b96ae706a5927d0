"""Tiers that are not long-running Deployments: Jobs and CronJobs, which run
to completion, and DaemonSets, which run one pod per node.

Each is a :class:`~tiers.model.Tier` with the fields of its Kubernetes kind,
so everything a tier has works the same way: the image, ``command`` and
``args``, env with references (a migration Job that references the database
gets the same NetworkPolicy egress and graph edge as the backend that does),
resources, security, sidecars and init containers, patches and a
:class:`~tiers.model.rbac.ServiceAccount`.

>>> from tiers import App, CronJob, Job, MySQL
>>> app = App("shop")
>>> db = app.add(MySQL("mysql"))
>>> migrate = app.add(Job("migrate", image="my-api:1.4.2", env={"DB_HOST": db.host}))
>>> report = app.add(CronJob("report", image="my-api:1.4.2", schedule="0 2 * * *"))
>>> report.concurrency_policy
'Forbid'
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import TYPE_CHECKING, ClassVar, Literal

from tiers.model.app import ServiceShortcut, Tier
from tiers.model.base import model

if TYPE_CHECKING:
    from pydantic import InstanceOf
else:  # pydantic's meaning, without importing pydantic: see tiers.model.typecheck
    from tiers.model.typecheck import InstanceOf

RestartPolicy = Literal["OnFailure", "Never"]
ConcurrencyPolicy = Literal["Allow", "Forbid", "Replace"]
UpdateStrategy = Literal["RollingUpdate", "OnDelete"]
TaintEffect = Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]
HostPathType = Literal[
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
    "CharDevice",
    "BlockDevice",
]


@model
class Batch(Tier):
    """What Jobs and CronJobs share: pods that run to completion.

    - ``backoff_limit``: retries before the Job fails (default 6, as in
      Kubernetes).
    - ``active_deadline_seconds``: how long the Job may run at most before it
      is stopped and fails; ``None`` (the default): no limit.
    - ``ttl_seconds_after_finished``: delete the finished Job (and its pods)
      after this many seconds; ``None`` (the default) keeps it, which is what
      a GitOps tool expects of an object it applied (a deleted one would be
      applied, and run, again).
    - ``restart_policy``: ``"Never"`` (the default: a failed pod stays, for
      ``kubectl logs``, and a new one is started) or ``"OnFailure"`` (the
      container restarts in place).

    A Job or CronJob has no Service, no replicas and no autoscaler; giving one
    of those fields is an error. Its container gets no probes unless given.
    """

    _: KW_ONLY
    service: ServiceShortcut = "None"
    backoff_limit: int = 6
    active_deadline_seconds: int | None = None
    ttl_seconds_after_finished: int | None = None
    restart_policy: RestartPolicy = "Never"


@model
class Job(Batch):
    """A Job: pods that run once to completion (a schema migration, a backfill).

    ``before`` lists the tiers that must not roll out until the Job has
    succeeded (a migration before the backend that needs the new schema).
    tiers writes that order for Argo CD: the Job becomes a ``Sync`` hook
    (``argocd.argoproj.io/hook: Sync``, re-run on every sync and deleted
    before it is created again, ``hook-delete-policy: BeforeHookCreation``)
    in a sync wave after the tiers it references and before the tiers in
    ``before`` (``argocd.argoproj.io/sync-wave``). Every Job also carries
    ``kustomize.toolkit.fluxcd.io/force: enabled``, so Flux replaces it when
    its (immutable) pod template changes. Default: no tiers.

    >>> from tiers import Backend, Job
    >>> api = Backend("api", image="my-api:1.4.2")
    >>> Job("migrate", image="my-api:1.4.2", command=["/app/migrate"], before=[api]).restart_policy
    'Never'
    """

    kind: ClassVar[str] = "Job"

    _: KW_ONLY
    before: list[InstanceOf[Tier]] = field(default_factory=list)


@model
class CronJob(Batch):
    """A CronJob: a Job made on a schedule (a nightly report, a cleanup).

    - ``schedule``: required, five cron fields (``"0 2 * * *"``: every day at
      02:00) or a macro (``"@hourly"``); checked as Kubernetes reads it, see
      :mod:`tiers.checks.cron`.
    - ``time_zone``: an IANA time zone (``"Europe/Berlin"``); ``None`` (the
      default) means the time zone of the kube-controller-manager.
    - ``concurrency_policy``: ``"Forbid"`` (the default: a run is skipped
      while the previous one still runs), ``"Allow"`` (Kubernetes' default)
      or ``"Replace"``.
    - ``successful_jobs_history_limit`` (3) and ``failed_jobs_history_limit``
      (1): finished Jobs kept, as in Kubernetes.
    - ``starting_deadline_seconds``: how late a missed run may still start;
      ``None`` (the default): no deadline.
    - ``suspend``: ``False`` (the default); ``True`` stops new runs.

    >>> from tiers import CronJob
    >>> CronJob("report", image="my-report:2.0.1", schedule="@daily").time_zone is None
    True
    """

    kind: ClassVar[str] = "CronJob"

    _: KW_ONLY
    schedule: str
    time_zone: str | None = None
    concurrency_policy: ConcurrencyPolicy = "Forbid"
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 1
    starting_deadline_seconds: int | None = None
    suspend: bool = False


@model
class HostPath:
    """A path of the node mounted into a DaemonSet's pods (a ``hostPath`` volume).

    ``mount_path`` defaults to ``path``; ``read_only`` to ``True``; ``type``
    (what must be at ``path``) to ``"Directory"``. A host path is forbidden
    by the baseline Pod Security Standard: each one is a warning, and the
    tier's namespace enforces the ``privileged`` level so that the pods are
    admitted. Keep node agents in a namespace of their own.

    >>> from tiers import HostPath
    >>> HostPath("/proc", "/host/proc").read_only
    True
    """

    path: str
    mount_path: str | None = None
    _: KW_ONLY
    read_only: bool = True
    type: HostPathType = "Directory"


@model
class Toleration:
    """A taint the pods tolerate, so that they also run on tainted nodes.

    ``key=None`` (the default) tolerates every taint; ``value=None`` (the
    default) any value of the key (``operator: Exists``), a string only that
    value (``operator: Equal``). ``effect=None`` (the default) tolerates every
    effect. ``toleration_seconds`` (``NoExecute`` only) bounds how long a pod
    stays on a node tainted after it started.

    >>> from tiers import Toleration
    >>> Toleration("node-role.kubernetes.io/control-plane", effect="NoSchedule").value is None
    True
    """

    key: str | None = None
    _: KW_ONLY
    value: str | None = None
    effect: TaintEffect | None = None
    toleration_seconds: int | None = None


@model
class DaemonSet(Tier):
    """A DaemonSet: one pod on every node (a log shipper, a metrics agent).

    - ``host_paths``: node paths to mount (:class:`HostPath`); none by default.
      The only way to mount one, and each is flagged: see :class:`HostPath`.
    - ``tolerations``: taints to tolerate (:class:`Toleration`), for example
      to run on control-plane nodes too; none by default.
    - ``update_strategy``: ``"RollingUpdate"`` (the default) or ``"OnDelete"``
      (pods are replaced only when deleted); ``max_unavailable`` (default 1):
      nodes whose pod may be down at once during a rolling update.
    - ``service``: ``"None"`` by default; a DaemonSet with ports may have one.

    A DaemonSet has no replicas, autoscaler, storage or disruption budget;
    giving one of those fields is an error.

    >>> from tiers import DaemonSet, HostPath
    >>> DaemonSet("agent", image="agent:1.0", host_paths=[HostPath("/var/log")]).update_strategy
    'RollingUpdate'
    """

    kind: ClassVar[str] = "DaemonSet"

    _: KW_ONLY
    service: ServiceShortcut = "None"
    host_paths: list[HostPath] = field(default_factory=list)
    tolerations: list[Toleration] = field(default_factory=list)
    update_strategy: UpdateStrategy = "RollingUpdate"
    max_unavailable: int | str = 1
