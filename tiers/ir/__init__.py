"""The intermediate representation between resolve and render.

Plain data, with every name, label, port and env value resolved. It imports
nothing from pydantic, Jinja2, YAML or click, so any output (manifests, a
diagram, a kustomization) can be made from it.

The objects of one tier share its label and selector dicts (a Service's,
NetworkPolicy's or PodDisruptionBudget's ``meta.labels`` may be the workload's
very dict), so that a large app holds each once: replace such a dict, never
change it in place.
"""

from __future__ import annotations

from tiers.ir.app import (
    App,
    Autoscaler,
    ConfigMap,
    DisruptionBudget,
    Namespace,
    Patch,
    RbacRule,
    Role,
    Rollout,
    Secret,
    ServiceAccount,
    Tier,
)
from tiers.ir.base import (
    Meta,
    field_path,
)
from tiers.ir.network import (
    Edge,
    EndpointSlice,
    ExternalService,
    GatewayParent,
    HTTPRoute,
    Ingress,
    IngressBackend,
    IngressController,
    IngressPath,
    IngressRule,
    IPBlock,
    NetworkPolicy,
    OutsideRule,
    PolicyPeer,
    PolicyPort,
    PolicyRule,
    Service,
    ServicePort,
)
from tiers.ir.pods import (
    Container,
    ContainerPort,
    ContainerSecurity,
    CronSpec,
    DaemonSpec,
    EnvVar,
    JobSpec,
    KeyRef,
    PodSecurity,
    Probe,
    Resources,
    Toleration,
    TopologySpread,
    Volume,
    VolumeClaim,
    VolumeMount,
    Workload,
)

__all__ = [
    "App",
    "Autoscaler",
    "ConfigMap",
    "Container",
    "ContainerPort",
    "ContainerSecurity",
    "CronSpec",
    "DaemonSpec",
    "DisruptionBudget",
    "Edge",
    "EndpointSlice",
    "EnvVar",
    "ExternalService",
    "GatewayParent",
    "HTTPRoute",
    "IPBlock",
    "Ingress",
    "IngressBackend",
    "IngressController",
    "IngressPath",
    "IngressRule",
    "JobSpec",
    "KeyRef",
    "Meta",
    "Namespace",
    "NetworkPolicy",
    "OutsideRule",
    "Patch",
    "PodSecurity",
    "PolicyPeer",
    "PolicyPort",
    "PolicyRule",
    "Probe",
    "RbacRule",
    "Resources",
    "Role",
    "Rollout",
    "Secret",
    "Service",
    "ServiceAccount",
    "ServicePort",
    "Tier",
    "Toleration",
    "TopologySpread",
    "Volume",
    "VolumeClaim",
    "VolumeMount",
    "Workload",
    "field_path",
]
