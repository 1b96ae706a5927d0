"""Render: the intermediate representation into Kubernetes objects, in order,
one tier at a time; each object from its kind's template (:mod:`tiers.render.templates`).
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Iterator
from dataclasses import dataclass

from tiers import ir
from tiers.render import extras as render_extras
from tiers.render.rollout import annotate
from tiers.render.templates import Manifest, render_template


@dataclass(frozen=True, slots=True)
class Rendered:
    """One Kubernetes object and the tier it belongs to (``None`` for app-wide ones)."""

    tier: str | None
    manifest: Manifest

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def name(self) -> str:
        return str(self.manifest["metadata"]["name"])


def render(app: ir.App) -> list[Rendered]:
    """Every object of the app, in order: the Namespaces and shared ConfigMaps,
    then each tier's objects (see :func:`render_tier`), then the app's Ingresses,
    HTTPRoutes and extras."""
    return list(render_each(app))


def render_each(app: ir.App) -> Iterator[Rendered]:
    """The objects of :func:`render`, in its order, one tier at a time."""
    for namespace in app.namespaces:
        yield Rendered(None, render_template("namespace.yaml.j2", namespace=namespace))
    for manifest in render_extras.app_objects_before(app):
        yield Rendered(None, manifest)
    for tier in app.tiers:
        yield from render_tier(tier, app.rendered)
    for manifest in render_extras.app_objects_after(app):
        yield Rendered(None, manifest)


def render_workload(tier: ir.Tier) -> Manifest:
    """The tier's Deployment or StatefulSet, alone."""
    workload = tier.workload
    return render_template(f"{workload.kind.lower()}.yaml.j2", workload=workload)


def keep_workload(app: ir.App, tier: ir.Tier, manifest: Manifest) -> None:
    """Keep ``manifest``, just rendered by :func:`render_workload`, in
    ``app.rendered`` for :func:`render_tier` to take instead of rendering it
    again: as ``marshal`` bytes, compact, and read back as a copy of exactly
    these values (a value ``marshal`` cannot write is not kept)."""
    with contextlib.suppress(ValueError):
        app.rendered[tier.name] = marshal.dumps(manifest)


def _workload(tier: ir.Tier, kept: dict[str, bytes] | None) -> Manifest:
    data = kept.pop(tier.name, None) if kept is not None else None
    if data is None:
        return render_workload(tier)
    manifest: Manifest = marshal.loads(data)
    return manifest


def render_tier(tier: ir.Tier, kept: dict[str, bytes] | None = None) -> list[Rendered]:
    """The tier's Secrets, ConfigMaps, ServiceAccount and roles, workload,
    Services, NetworkPolicies, autoscaler, disruption budget, Ingresses and
    extra objects, in that order, with what GitOps tools read of its rollout
    (:mod:`tiers.render.rollout`). The workload is taken from ``kept`` (see
    :func:`keep_workload`) when it is there."""
    objects = [render_template("secret.yaml.j2", secret=s) for s in tier.secrets]
    objects += render_extras.tier_objects_before(tier)
    objects.append(_workload(tier, kept))
    objects += [render_template("service.yaml.j2", service=s) for s in tier.services]
    objects += [render_template("networkpolicy.yaml.j2", policy=p) for p in tier.network_policies]
    objects += render_extras.tier_objects_after(tier)
    annotate(tier, objects)
    return [Rendered(tier.name, manifest) for manifest in objects]
