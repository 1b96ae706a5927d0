"""Checks of what a kind's image needs: the credentials it refuses to start
without, and a general tier on an image that tiers has a kind for."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.images import kind_for_image, repository
from tiers.model.profile import Credential
from tiers.model.secrets import SecretKeyRef


def check_required_credentials(context: Context) -> Iterator[Diagnostic]:
    """A kind whose image refuses to start without a credential (a root
    password) is given it: one of its env vars, or the ``*_FILE`` variable."""
    for resolved in context.resolved.tiers:
        tier = context.model(resolved)
        if tier is None or not isinstance(tier.env, dict):
            continue
        given = {_passed_as(n, v) for n, v in tier.env.items()} | _patched_env(tier.patches)
        for credential in tier.profile.credentials:
            if not any(n in given or f"{n}_FILE" in given for n in credential.names):
                message = _missing(tier, resolved, credential)
                yield context.error("credential-missing", message, resolved, "env")


def _patched_env(patches: object) -> set[str]:
    """The env var names the tier's patches set (an imported Secret reference
    the kind would mount as a file is kept this way)."""
    found: set[str] = set()
    stack = [getattr(p, "patch", None) for p in patches] if isinstance(patches, list) else []
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            env = value.get("env")
            if isinstance(env, list):
                found |= {e["name"] for e in env if isinstance(e, dict) and _named(e)}
            stack += list(value.values())
        elif isinstance(value, list):
            stack += value
    return found


def _passed_as(name: str, value: object) -> str:
    """The variable the container gets: a Secret file's own ``*_FILE`` name
    when ``SecretKeyRef(file_env=...)`` gives one (which the image may not read)."""
    if isinstance(value, SecretKeyRef) and isinstance(value.file_env, str):
        return value.file_env
    return name


def _named(entry: dict[object, object]) -> bool:
    return isinstance(entry.get("name"), str)


def _missing(tier: model.Tier, resolved: ir.Tier, credential: Credential) -> str:
    name = credential.names[0]
    secret = f"{resolved.name}-secrets"
    others = credential.names[1:]
    instead = "".join(f" or {other}" for other in others)
    return (
        f"{tier.kind} needs {credential.what} ({name}{instead}): {credential.why}. "
        f"Keep it in a Secret: env={{'{name}': SecretKeyRef('{secret}', "
        f"'{credential.key}')}}, created with kubectl create secret generic {secret} "
        f"--from-literal={credential.key}=..."
    )


def check_image_kind(context: Context) -> Iterator[Diagnostic]:
    """A general :class:`~tiers.Tier` on an image a kind knows misses that
    kind's user, writable paths, storage and probes: name the kind."""
    for resolved in context.resolved.tiers:
        tier = context.model(resolved)
        if type(tier) is not model.Tier or not isinstance(tier.image, str):
            continue
        kind = kind_for_image(tier.image)
        if kind is None:
            continue
        yield context.warning("image-has-kind", _use_kind(tier, kind), resolved, "image")


def _use_kind(tier: model.Tier, kind: type[model.Tier]) -> str:
    own = kind.__dataclass_fields__["image"].default
    if isinstance(own, str) and repository(own) == repository(tier.image):
        fix = f"{kind.kind}({tier.name!r}, image={tier.image!r})"
    else:
        fix = f"{kind.kind}({tier.name!r}) (it runs {own})"
    return (
        f"'{tier.image}' is an image tiers' {kind.kind} kind knows: its user, writable "
        f"paths, probes and data directory are in the kind's profile, and a general Tier "
        f"gets none of them. Write {fix} instead of Tier(...)"
    )
