"""Render: the intermediate representation into Kubernetes objects, one Jinja2
template per kind from ``templates/``.

Every ``{{ value }}`` in a template is written through
:func:`tiers.yamlsafe.flow`, so no value can change type or break the YAML.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from tiers import ir
from tiers.yamlsafe import flow, load

Manifest = dict[str, Any]


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


def template_dir() -> Path:
    """The templates: inside the installed package, or ``templates/`` of a checkout."""
    packaged = resources.files("tiers") / "templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "templates"


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment, made once: strict, no autoescape, YAML-safe output."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=flow,
        auto_reload=False,
    )


def render_template(name: str, **context: Any) -> Manifest:
    """Render one template into one object."""
    text = environment().get_template(name).render(**context)
    manifest = load(text)
    if not isinstance(manifest, dict):
        raise ValueError(f"template {name} did not produce a mapping")
    return manifest


def render(app: ir.App) -> list[Rendered]:
    """Every object of the app, in order: the Namespaces and shared ConfigMaps,
    then each tier's objects (see :func:`render_tier`), then the app's Ingresses,
    HTTPRoutes and extras."""
    return list(render_each(app))


def render_each(app: ir.App) -> Iterator[Rendered]:
    """The objects of :func:`render`, in its order, one tier at a time."""
    from tiers import render_extras

    for namespace in app.namespaces:
        yield Rendered(None, render_template("namespace.yaml.j2", namespace=namespace))
    for manifest in render_extras.app_objects_before(app):
        yield Rendered(None, manifest)
    for tier in app.tiers:
        yield from render_tier(tier)
    for manifest in render_extras.app_objects_after(app):
        yield Rendered(None, manifest)


def render_tier(tier: ir.Tier) -> list[Rendered]:
    """The tier's Secrets, ConfigMaps, workload, Services, NetworkPolicies,
    autoscaler, disruption budget, Ingresses and extra objects, in that order."""
    from tiers import render_extras

    workload = tier.workload
    objects = [render_template("secret.yaml.j2", secret=s) for s in tier.secrets]
    objects += render_extras.tier_objects_before(tier)
    objects.append(render_template(f"{workload.kind.lower()}.yaml.j2", workload=workload))
    objects += [render_template("service.yaml.j2", service=s) for s in tier.services]
    objects += [render_template("networkpolicy.yaml.j2", policy=p) for p in tier.network_policies]
    objects += render_extras.tier_objects_after(tier)
    return [Rendered(tier.name, manifest) for manifest in objects]
