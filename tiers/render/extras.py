"""Render the kinds beyond Deployment and Service: ConfigMaps,
ServiceAccounts and their roles, external Services, HorizontalPodAutoscalers,
PodDisruptionBudgets, Ingresses, HTTPRoutes and the objects of user templates.
:mod:`tiers.render.objects` places them around each tier's workload."""

from __future__ import annotations

import copy

from tiers import ir
from tiers.render.templates import Manifest, render_template


def tier_objects_before(tier: ir.Tier) -> list[Manifest]:
    """What the tier's workload needs first: its own ConfigMaps, its
    ServiceAccount, its Role and RoleBinding, its ClusterRole and binding."""
    objects = [render_template("configmap.yaml.j2", config_map=c) for c in tier.config_maps]
    if tier.service_account is not None:
        objects.append(render_template("serviceaccount.yaml.j2", account=tier.service_account))
    for role in tier.roles:
        objects.append(render_template("role.yaml.j2", role=role))
        objects.append(render_template("rolebinding.yaml.j2", role=role))
    return objects


def tier_objects_after(tier: ir.Tier) -> list[Manifest]:
    """After the tier's Services: autoscaler, disruption budget, Ingresses,
    HTTPRoutes, extras."""
    objects = []
    if tier.autoscaler is not None:
        objects.append(
            render_template("horizontalpodautoscaler.yaml.j2", autoscaler=tier.autoscaler)
        )
    if tier.disruption_budget is not None:
        objects.append(
            render_template("poddisruptionbudget.yaml.j2", budget=tier.disruption_budget)
        )
    objects += [render_template("ingress.yaml.j2", ingress=i) for i in tier.ingresses]
    objects += [render_template("httproute.yaml.j2", route=r) for r in tier.routes]
    return objects + [copy.deepcopy(o) for o in tier.extra_objects]


def app_objects_before(app: ir.App) -> list[Manifest]:
    """App-wide objects the tiers need first: ConfigMaps shared by several
    tiers, then the external Services tiers emits (and their EndpointSlices)."""
    objects = [render_template("configmap.yaml.j2", config_map=c) for c in app.config_maps]
    for external in (e for e in app.externals if e.emitted):
        objects.append(render_template("service_external.yaml.j2", external=external))
        objects += [render_template("endpointslice.yaml.j2", slice=s) for s in external.slices]
    return objects


def app_objects_after(app: ir.App) -> list[Manifest]:
    """App-wide objects after the tiers: the app's Ingresses, HTTPRoutes and extras."""
    objects = [
        render_template("ingress.yaml.j2", ingress=i) for i in app.ingresses if i.tier is None
    ]
    objects += [render_template("httproute.yaml.j2", route=r) for r in app.routes if r.tier is None]
    return objects + [copy.deepcopy(o) for o in app.extra_objects]
