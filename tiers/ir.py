"""The intermediate representation between resolve and render.

Plain data, with every name, label, port and env value resolved. It imports
nothing from pydantic, Jinja2, YAML or click, so any output (manifests, a
diagram, a kustomization) can be made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiers.location import UNKNOWN, Location


@dataclass(slots=True)
class Meta:
    name: str
    namespace: str
    labels: dict[str, str]
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ContainerPort:
    number: int
    name: str | None
    protocol: str
    origin: str = ""


@dataclass(slots=True)
class EnvVar:
    name: str
    value: str
    origin: str = ""


@dataclass(slots=True)
class Container:
    name: str
    image: str
    command: list[str] | None
    args: list[str] | None
    ports: list[ContainerPort]
    env: list[EnvVar]


@dataclass(slots=True)
class Workload:
    kind: str
    meta: Meta
    replicas: int
    selector: dict[str, str]
    pod_labels: dict[str, str]
    containers: list[Container]
    pod_annotations: dict[str, str] = field(default_factory=dict)
    service_name: str | None = None
    """The governing Service of a StatefulSet (``spec.serviceName``)."""


@dataclass(slots=True)
class ServicePort:
    name: str | None
    port: int
    target_port: int | str
    protocol: str
    node_port: int | None = None
    origin: str = ""


@dataclass(slots=True)
class Service:
    meta: Meta
    type: str
    headless: bool
    selector: dict[str, str]
    ports: list[ServicePort]
    origin: str = ""


@dataclass(slots=True)
class Edge:
    """A reference from one tier to another's Service: the wiring graph."""

    source: str
    target: str
    env: str
    service: str
    namespace: str
    port: int | None
    protocol: str
    external: bool = False


@dataclass(slots=True)
class Patch:
    """A strategic-merge patch for the tier's object of ``kind`` (named ``name``)."""

    kind: str
    name: str | None
    patch: dict[str, Any]
    origin: str = ""


@dataclass(slots=True)
class Tier:
    name: str
    kind: str
    namespace: str
    workload: Workload
    services: list[Service]
    location: Location = UNKNOWN
    patches: list[Patch] = field(default_factory=list)


@dataclass(slots=True)
class App:
    name: str
    namespace: str
    cluster_domain: str
    tiers: list[Tier]
    edges: list[Edge]
    location: Location = UNKNOWN


def field_path(origin: str, attr: str) -> str:
    """The user's field for ``attr`` of an element that came from ``origin``."""
    return f"{origin}.{attr}" if origin else attr
