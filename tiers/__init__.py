"""tiers: typed descriptions of an application's tiers, compiled to Kubernetes manifests.

>>> from tiers import App, Backend, MySQL, build_yaml
>>> app = App("shop")
>>> db = app.add(MySQL("mysql"))
>>> api = app.add(Backend("backend", image="my-backend:1.4.2", env={"DB_HOST": db.host}))
>>> "value: mysql-service" in build_yaml(app)
True

The names below are imported when first used, so that ``tiers --help`` and
other commands that need none of them start without pydantic, Jinja2 or YAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiers.compiler import build_yaml, compile_app, manifests
    from tiers.model.app import (
        App,
        Container,
        Endpoint,
        ExternalService,
        Patch,
        Port,
        Service,
        ServicePort,
        ServiceShortcut,
        Tier,
    )
    from tiers.model.configmap import ConfigMap, ConfigMapKey
    from tiers.model.connections import EgressTo, IngressFrom
    from tiers.model.environments import environments
    from tiers.model.images import kind_for_image
    from tiers.model.ingress import Ingress, IngressController, IngressPath, IngressRule
    from tiers.model.kinds import Backend, Frontend, MySQL
    from tiers.model.rbac import Permission, ServiceAccount
    from tiers.model.refs import AddressRef, HostRef, PortRef, UrlRef
    from tiers.model.route import GatewayRef, HTTPRoute
    from tiers.model.scaling import Autoscale, DisruptionBudget, TopologySpread
    from tiers.model.secrets import ConfigMapKeyRef, DevSecret, NotSecret, SecretKeyRef
    from tiers.model.security import Probe, Probes, Resources, Security, Storage
    from tiers.model.servers import MariaDB, Memcached, MongoDB, Postgres, RabbitMQ, Redis
    from tiers.model.workloads import CronJob, DaemonSet, HostPath, Job, Toleration

__version__ = "0.1.0"

_HOMES = {
    "tiers.compiler": ("build_yaml", "compile_app", "manifests"),
    "tiers.model.kinds": ("Backend", "Frontend", "MySQL"),
    "tiers.model.servers": ("MariaDB", "Memcached", "MongoDB", "Postgres", "RabbitMQ", "Redis"),
    "tiers.model.images": ("kind_for_image",),
    "tiers.model.app": (
        "App",
        "Container",
        "Endpoint",
        "ExternalService",
        "Patch",
        "Port",
        "Service",
        "ServicePort",
        "ServiceShortcut",
        "Tier",
    ),
    "tiers.model.refs": ("AddressRef", "HostRef", "PortRef", "UrlRef"),
    "tiers.model.configmap": ("ConfigMap", "ConfigMapKey"),
    "tiers.model.connections": ("EgressTo", "IngressFrom"),
    "tiers.model.ingress": ("Ingress", "IngressController", "IngressPath", "IngressRule"),
    "tiers.model.route": ("GatewayRef", "HTTPRoute"),
    "tiers.model.scaling": ("Autoscale", "DisruptionBudget", "TopologySpread"),
    "tiers.model.secrets": ("ConfigMapKeyRef", "DevSecret", "NotSecret", "SecretKeyRef"),
    "tiers.model.security": ("Probe", "Probes", "Resources", "Security", "Storage"),
    "tiers.model.environments": ("environments",),
    "tiers.model.rbac": ("Permission", "ServiceAccount"),
    "tiers.model.workloads": ("CronJob", "DaemonSet", "HostPath", "Job", "Toleration"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'tiers' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "AddressRef",
    "App",
    "Autoscale",
    "Backend",
    "ConfigMap",
    "ConfigMapKey",
    "ConfigMapKeyRef",
    "Container",
    "CronJob",
    "DaemonSet",
    "DevSecret",
    "DisruptionBudget",
    "EgressTo",
    "Endpoint",
    "ExternalService",
    "Frontend",
    "GatewayRef",
    "HTTPRoute",
    "HostPath",
    "HostRef",
    "Ingress",
    "IngressController",
    "IngressFrom",
    "IngressPath",
    "IngressRule",
    "Job",
    "MariaDB",
    "Memcached",
    "MongoDB",
    "MySQL",
    "NotSecret",
    "Patch",
    "Permission",
    "Port",
    "PortRef",
    "Postgres",
    "Probe",
    "Probes",
    "RabbitMQ",
    "Redis",
    "Resources",
    "SecretKeyRef",
    "Security",
    "Service",
    "ServiceAccount",
    "ServicePort",
    "ServiceShortcut",
    "Storage",
    "Tier",
    "Toleration",
    "TopologySpread",
    "UrlRef",
    "__version__",
    "build_yaml",
    "compile_app",
    "environments",
    "kind_for_image",
    "manifests",
]
