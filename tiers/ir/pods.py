"""A tier's workload, resolved: its containers, their ports, env, probes,
resources and security, the pod's volumes and its workload kind's own fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from tiers.ir.base import Meta, _Record


@dataclass(slots=True, repr=False, eq=False)
class ContainerPort(_Record):
    """A container port; ``origin``: the user's field of the sidecar that has it."""

    number: int
    name: str | None
    protocol: str
    origin: str = ""


@dataclass(slots=True, repr=False, eq=False)
class KeyRef(_Record):
    """A key of a Secret or ConfigMap (``kind``) that an env var reads."""

    kind: str
    name: str
    key: str


@dataclass(slots=True, repr=False, eq=False)
class EnvVar(_Record):
    """An env var of a container: a literal ``value`` or a ``value_from`` key."""

    name: str
    value: str
    origin: str = ""
    value_from: KeyRef | None = None


@dataclass(slots=True, repr=False, eq=False)
class Resources(_Record):
    """A container's CPU and memory requests and limits."""

    requests: dict[str, str]
    limits: dict[str, str]
    origin: str = "resources"


@dataclass(slots=True, repr=False, eq=False)
class Probe(_Record):
    """A probe's handler and timings: ``command`` (exec) when given, else a
    gRPC health check when ``grpc``, else an HTTP GET of ``path`` on
    ``port``, else a TCP connect to ``port``."""

    port: int | str
    path: str | None
    initial_delay_seconds: int
    period_seconds: int
    timeout_seconds: int
    failure_threshold: int
    origin: str = ""
    command: list[str] | None = None
    grpc: bool = False
    grpc_service: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class ContainerSecurity(_Record):
    """A container's ``securityContext``."""

    run_as_non_root: bool
    read_only_root_filesystem: bool
    allow_privilege_escalation: bool
    add_capabilities: list[str]
    run_as_user: int | None = None
    run_as_group: int | None = None


@dataclass(slots=True, repr=False, eq=False)
class PodSecurity(_Record):
    """A pod's ``securityContext``, its sysctls included; ``run_as_user`` and
    ``run_as_group`` are None for the image's own user (a baseline tier)."""

    run_as_user: int | None
    run_as_group: int | None
    fs_group: int | None
    run_as_non_root: bool
    seccomp_profile: str
    sysctls: dict[str, str] = field(default_factory=dict)
    fs_group_change_policy: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class VolumeMount(_Record):
    """Where a container mounts one of the pod's volumes."""

    name: str
    mount_path: str
    read_only: bool = False
    sub_path: str | None = None


@dataclass(slots=True, repr=False, eq=False)
class Volume(_Record):
    """A pod volume: an emptyDir (``secret``, ``config_map``, ``host_path``
    and ``token_seconds`` None), a Secret's keys as files, a ConfigMap, a path
    of the node (a DaemonSet's ``host_paths``), or the API token of the pod's
    ServiceAccount (a projected volume of a token valid ``token_seconds``)."""

    name: str
    secret: str | None = None
    items: list[str] = field(default_factory=list)
    config_map: str | None = None
    host_path: str | None = None
    host_path_type: str | None = None
    token_seconds: int | None = None
    origin: str = ""
    memory: bool = False
    """An emptyDir on the node's memory (``medium: Memory``), for files as
    sensitive as a Secret volume's."""


@dataclass(slots=True, repr=False, eq=False)
class VolumeClaim(_Record):
    """A StatefulSet's ``volumeClaimTemplates`` entry."""

    name: str
    size: str
    storage_class: str | None


@dataclass(slots=True, repr=False, eq=False)
class Container(_Record):
    """One container of a pod, resolved."""

    name: str
    image: str
    command: list[str] | None
    args: list[str] | None
    ports: list[ContainerPort]
    env: list[EnvVar]
    image_pull_policy: str = "Always"
    security: ContainerSecurity | None = None
    resources: Resources | None = None
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    volume_mounts: list[VolumeMount] = field(default_factory=list)
    restart_policy: str | None = None
    """``Always`` for a native sidecar (an init container that keeps running)."""
    origin: str = ""
    """The user's field of a sidecar or init container (``sidecars[0]``); ``""``
    for the main one."""


@dataclass(slots=True, repr=False, eq=False)
class Workload(_Record):
    """A tier's Deployment or StatefulSet (``kind``)."""

    kind: str
    meta: Meta
    replicas: int | None  # None when a HorizontalPodAutoscaler owns it
    selector: dict[str, str]
    pod_labels: dict[str, str]
    containers: list[Container]
    pod_annotations: dict[str, str] = field(default_factory=dict)
    security: PodSecurity | None = None
    automount_service_account_token: bool = False
    enable_service_links: bool = False
    volumes: list[Volume] = field(default_factory=list)
    service_name: str | None = None
    volume_claims: list[VolumeClaim] = field(default_factory=list)
    topology_spread: list[TopologySpread] = field(default_factory=list)
    init_containers: list[Container] = field(default_factory=list)
    """Native sidecars first (``restart_policy="Always"``), then the init containers."""
    restart_policy: str | None = None
    """The pods' ``restartPolicy``: set for Jobs and CronJobs (``Never``, ``OnFailure``)."""
    job: JobSpec | None = None
    """A Job's or CronJob's own fields."""
    cron: CronSpec | None = None
    daemon: DaemonSpec | None = None
    tolerations: list[Toleration] = field(default_factory=list)
    service_account_name: str | None = None
    termination_grace_period_seconds: int | None = None

    def pod_containers(self) -> list[Container]:
        """Every container of the pod: init containers first, then the others."""
        return [*self.init_containers, *self.containers]

    def serving_containers(self) -> list[Container]:
        """The containers that keep running, whose ports a Service can target:
        native sidecars and the regular containers."""
        native = [c for c in self.init_containers if c.restart_policy == "Always"]
        return [*native, *self.containers]


@dataclass(slots=True, repr=False, eq=False)
class TopologySpread(_Record):
    """One ``topologySpreadConstraints`` entry, selecting the tier's own pods."""

    topology_key: str
    max_skew: int
    when_unsatisfiable: str
    selector: dict[str, str]


@dataclass(slots=True, repr=False, eq=False)
class JobSpec(_Record):
    """What a Job (or each Job of a CronJob) does when its pods fail or finish."""

    backoff_limit: int
    active_deadline_seconds: int | None
    ttl_seconds_after_finished: int | None


@dataclass(slots=True, repr=False, eq=False)
class CronSpec(_Record):
    """A CronJob's schedule and how it runs its Jobs."""

    schedule: str
    time_zone: str | None
    concurrency_policy: str
    successful_jobs_history_limit: int
    failed_jobs_history_limit: int
    starting_deadline_seconds: int | None
    suspend: bool


@dataclass(slots=True, repr=False, eq=False)
class DaemonSpec(_Record):
    """How a DaemonSet replaces its pods."""

    update_strategy: str
    max_unavailable: int | str


@dataclass(slots=True, repr=False, eq=False)
class Toleration(_Record):
    """A taint the pods tolerate; ``key`` None: every taint."""

    key: str | None
    operator: str
    value: str | None
    effect: str | None
    toleration_seconds: int | None
