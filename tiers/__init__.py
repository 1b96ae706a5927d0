"""tiers: typed descriptions of an application's tiers, compiled to Kubernetes manifests.

>>> from tiers import App, Backend, MySQL, build_yaml
>>> app = App("shop")
>>> db = app.add(MySQL("mysql"))
>>> api = app.add(Backend("backend", image="my-backend:1.4.2", env={"DB_HOST": db.host}))
>>> "value: mysql-service" in build_yaml(app)
True
"""

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
