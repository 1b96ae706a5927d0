"""Autoscaling and availability: what a tier asks for, before defaults.

>>> from tiers import Autoscale, Backend
>>> scaling = Autoscale(min_replicas=2, max_replicas=10, cpu=70)
>>> api = Backend("api", image="my-api:1.0", autoscale=scaling)
>>> api.autoscale.max_replicas
10
"""

from __future__ import annotations

from dataclasses import KW_ONLY
from typing import Literal

from tiers.model.base import model

HOSTNAME = "kubernetes.io/hostname"


@model
class Autoscale:
    """A HorizontalPodAutoscaler (``autoscaling/v2``) for the tier's workload.

    ``min_replicas`` (default 1) and ``max_replicas`` (required) bound the
    replicas; ``cpu`` and ``memory`` are target average utilisations in
    percent of the containers' resource requests (at least one is required;
    ``None``, the default, leaves that metric out). With an autoscaler the
    workload's ``replicas`` is left out: the autoscaler owns it.
    """

    _: KW_ONLY
    min_replicas: int = 1
    max_replicas: int
    cpu: int | None = None
    memory: int | None = None


@model
class DisruptionBudget:
    """A PodDisruptionBudget (``policy/v1``) for the tier's pods.

    Give at most one bound, a number of pods or a percentage (``"25%"``):
    ``max_unavailable`` (default 1 when neither is given) or ``min_available``.
    ``unhealthy_pod_eviction_policy`` defaults to ``AlwaysAllow``: pods that are
    not ready may always be evicted, so a crash-looping pod never blocks a
    node drain (``IfHealthyBudget`` is Kubernetes' own default).
    """

    max_unavailable: int | str | None = None
    min_available: int | str | None = None
    unhealthy_pod_eviction_policy: Literal["AlwaysAllow", "IfHealthyBudget"] = "AlwaysAllow"


@model
class TopologySpread:
    """How the tier's pods spread over a topology (``topologySpreadConstraints``).

    Defaults: across nodes (``topology_key="kubernetes.io/hostname"``),
    ``max_skew=1``, ``when_unsatisfiable="ScheduleAnyway"`` (a preference,
    never a reason to leave a pod pending).
    """

    topology_key: str = HOSTNAME
    max_skew: int = 1
    when_unsatisfiable: Literal["ScheduleAnyway", "DoNotSchedule"] = "ScheduleAnyway"
