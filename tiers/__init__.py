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
    from tiers.configmap import ConfigMap, ConfigMapKey
    from tiers.ingress import Ingress, IngressController, IngressPath, IngressRule
    from tiers.kinds import Backend, Frontend, MySQL
    from tiers.model import (
        App,
        Container,
        Endpoint,
        ExternalService,
        Patch,
        Port,
        Service,
        ServicePort,
        Tier,
    )
    from tiers.refs import HostRef, PortRef, UrlRef
    from tiers.route import GatewayRef, HTTPRoute
    from tiers.scaling import Autoscale, DisruptionBudget, TopologySpread
    from tiers.secrets import ConfigMapKeyRef, DevSecret, NotSecret, SecretKeyRef
    from tiers.security import Probe, Probes, Resources, Security, Storage

__version__ = "0.1.0"

_HOMES = {
    "tiers.compiler": ("build_yaml", "compile_app", "manifests"),
    "tiers.kinds": ("Backend", "Frontend", "MySQL"),
    "tiers.model": (
        "App",
        "Container",
        "Endpoint",
        "ExternalService",
        "Patch",
        "Port",
        "Service",
        "ServicePort",
        "Tier",
    ),
    "tiers.refs": ("HostRef", "PortRef", "UrlRef"),
    "tiers.configmap": ("ConfigMap", "ConfigMapKey"),
    "tiers.ingress": ("Ingress", "IngressController", "IngressPath", "IngressRule"),
    "tiers.route": ("GatewayRef", "HTTPRoute"),
    "tiers.scaling": ("Autoscale", "DisruptionBudget", "TopologySpread"),
    "tiers.secrets": ("ConfigMapKeyRef", "DevSecret", "NotSecret", "SecretKeyRef"),
    "tiers.security": ("Probe", "Probes", "Resources", "Security", "Storage"),
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
    "App",
    "Autoscale",
    "Backend",
    "ConfigMap",
    "ConfigMapKey",
    "ConfigMapKeyRef",
    "Container",
    "DevSecret",
    "DisruptionBudget",
    "Endpoint",
    "ExternalService",
    "Frontend",
    "GatewayRef",
    "HTTPRoute",
    "HostRef",
    "Ingress",
    "IngressController",
    "IngressPath",
    "IngressRule",
    "MySQL",
    "NotSecret",
    "Patch",
    "Port",
    "PortRef",
    "Probe",
    "Probes",
    "Resources",
    "SecretKeyRef",
    "Security",
    "Service",
    "ServicePort",
    "Storage",
    "Tier",
    "TopologySpread",
    "UrlRef",
    "__version__",
    "build_yaml",
    "compile_app",
    "manifests",
]
