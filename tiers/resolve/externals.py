"""External Services: what an :class:`~tiers.model.ExternalService` stands
for, and the objects tiers emits for it.

Three kinds, by what is given:

- ``external_name``: an ExternalName Service that the cluster's DNS answers
  with a CNAME (a managed database, ``db.example.com``);
- ``addresses``: a Service without a selector and the EndpointSlices that
  list its endpoints (a server outside the cluster reached by IP);
- neither: a Service managed elsewhere, in ``namespace``, that tiers only
  refers to.
"""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.base import defined_at, problems

MANAGED = "managed"
"""The kind of an external Service tiers only refers to."""
EXTERNAL_NAME = "ExternalName"
ENDPOINTS = "Endpoints"
COMPONENT = "external-service"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
SLICE_MANAGER_LABEL = "endpointslice.kubernetes.io/managed-by"
SLICE_MANAGER = "tiers"


def resolve_externals(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Every external Service of ``app`` that was built without problems."""
    result.externals = [_external(app, e) for e in app.externals if usable(e)]


def usable(external: model.ExternalService) -> bool:
    """Built without problems, its own or its ports'."""
    ports = external.ports if isinstance(external.ports, list) else []
    return not problems(external) and not any(problems(p) for p in ports)


def kind_of(external: model.ExternalService) -> str:
    """``ExternalName``, ``Endpoints`` (addresses given) or ``managed``."""
    if external.external_name is not None:
        return EXTERNAL_NAME
    return ENDPOINTS if external.addresses else MANAGED


def external_ports(external: model.ExternalService) -> list[ir.ServicePort]:
    """Its Service ports; plain numbers are unnamed TCP ports."""
    return [
        ir.ServicePort(None, p, p, "TCP", origin=f"ports[{i}]")
        if isinstance(p, int)
        else ir.ServicePort(p.name, p.port, _target(p), p.protocol, origin=f"ports[{i}]")
        for i, p in enumerate(external.ports)
    ]


def _target(port: model.ServicePort) -> int | str:
    return port.target_port if port.target_port is not None else port.port


def _external(app: model.App, external: model.ExternalService) -> ir.ExternalService:
    namespace = external.namespace if external.namespace is not None else app.namespace
    labels = {
        "app.kubernetes.io/name": external.name,
        "app.kubernetes.io/instance": app.name,
        "app.kubernetes.io/component": COMPONENT,
        "app.kubernetes.io/part-of": app.name,
        "app.kubernetes.io/managed-by": "tiers",
    }
    meta = ir.Meta(external.name, namespace, labels)
    resolved = ir.ExternalService(
        meta=meta,
        kind=kind_of(external),
        ports=external_ports(external),
        external_name=external.external_name,
        addresses=list(external.addresses),
        cidrs=list(external.cidrs),
        location=defined_at(external),
    )
    if resolved.kind == ENDPOINTS:
        resolved.slices = _slices(resolved)
    return resolved


def _slices(external: ir.ExternalService) -> list[ir.EndpointSlice]:
    """One EndpointSlice per address family, named after the Service
    (``<name>-ipv6`` for the second); addresses that do not parse are left
    to the checks."""
    import ipaddress  # only for the Services with addresses

    families: dict[str, list[str]] = {}
    for address in external.addresses:
        try:
            version = ipaddress.ip_address(address).version
        except ValueError:
            continue
        families.setdefault(f"IPv{version}", []).append(address)
    slices = []
    for index, (family, addresses) in enumerate(sorted(families.items())):
        name = external.meta.name if index == 0 else f"{external.meta.name}-{family.lower()}"
        labels = {
            **external.meta.labels,
            SERVICE_NAME_LABEL: external.meta.name,
            SLICE_MANAGER_LABEL: SLICE_MANAGER,
        }
        meta = ir.Meta(name, external.meta.namespace, labels)
        slices.append(ir.EndpointSlice(meta, family, addresses, external.ports))
    return slices
