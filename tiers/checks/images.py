"""Checks of container images: present, well formed, pinned."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic


def image_tag(image: str) -> str | None:
    """The tag of an image reference (``None`` when it has none):
    ``registry:5000/app:1.2`` → ``1.2``."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else None


def check_image_present(context: Context) -> Iterator[Diagnostic]:
    """Every container has an image, without spaces."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
            image = container.image
            field = ir.field_path(container.origin, "image")
            if not image.strip():
                message = "is empty: name the image to run, for example 'nginx:1.27.3'"
                yield context.error("image-missing", message, tier, field)
            elif image != image.strip() or any(c.isspace() for c in image):
                message = f"'{image}' contains white space; write the image reference alone"
                yield context.error("image-invalid", message, tier, field)


def check_image_pinned(context: Context) -> Iterator[Diagnostic]:
    """Warn when an image has no tag or the tag ``latest``: a rebuild may run other code."""
    for tier in context.resolved.tiers:
        for container in tier.workload.pod_containers():
            image = container.image
            if not image.strip() or "@" in image:
                continue
            tag = image_tag(image)
            if tag is None or tag == "latest":
                what = "has no tag" if tag is None else "uses the tag 'latest'"
                base = image if tag is None else image[: -len(":latest")]
                message = (
                    f"'{image}' {what}, so each rollout may run a different image; "
                    f"pin a version ('{base}:1.2.3') or a digest ('{base}@sha256:...')"
                )
                field = ir.field_path(container.origin, "image")
                yield context.warning("image-unpinned", message, tier, field)
