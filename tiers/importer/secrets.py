"""Credentials: env values that must not reach Git in plain text.

tiers refuses a literal value for a variable whose name looks like a
credential (``MYSQL_ROOT_PASSWORD: "password"``). The importer keeps the
input's meaning without writing the value into the app:

- a literal credential becomes a :class:`~tiers.SecretKeyRef` to the Secret
  ``<tier>-secrets`` (key: the variable's name), which the user creates; a
  warning says so and gives the ``kubectl create secret`` command. The value
  is never copied into the written Python (it is committed to Git). That is
  a value for a credential-like name, and any value holding a credential
  (a password in a URL, a token: :mod:`tiers.checks.credentials`);
- a credential in the command or args becomes ``$(VAR)`` there, with VAR set
  from ``<tier>-secrets`` the same way (:func:`redacted_args`); an annotation
  holding one is left out, with a warning;
- a value that is plainly not a secret (empty, a yes/no flag, a file path) is
  kept as :class:`~tiers.NotSecret`;
- ``valueFrom.secretKeyRef`` / ``configMapKeyRef`` become
  :class:`~tiers.SecretKeyRef` / :class:`~tiers.ConfigMapKeyRef` where tiers
  renders them back unchanged (not where the kind mounts the Secret as a file:
  that stays a patch);
- tiers' own file form (``MYSQL_ROOT_PASSWORD_FILE: /etc/secrets/<secret>/<key>``)
  becomes the :class:`~tiers.SecretKeyRef` it was built from: the variable
  the kind maps to that file, else ``<NAME>`` for ``<NAME>_FILE`` with
  ``file_env="<NAME>_FILE"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tiers.checks.credentials import (
    find_credential,
    find_in_args,
    is_placeholder,
    looks_like_credential,
)
from tiers.importer.group import dig
from tiers.model.app import EnvValue, Tier
from tiers.model.secrets import ConfigMapKeyRef, NotSecret, SecretKeyRef
from tiers.resolve.envfrom import SECRET_MOUNT_ROOT

PLAIN_VALUES = frozenset(["", "true", "false", "yes", "no", "0", "1", "on", "off"])
"""Values of credential-like names that are flags, not secrets (``MYSQL_ALLOW_EMPTY_PASSWORD``)."""

FILE_SUFFIX = "_FILE"


def secret_name(tier: str) -> str:
    """The Secret a tier's imported literal credentials move to: ``<tier>-secrets``."""
    return f"{tier}-secrets"


def create_command(tier: str, namespace: str, names: list[str]) -> str:
    """The ``kubectl create secret`` command for the Secret of ``names``."""
    literals = " ".join(f"--from-literal={n}=<value of {n} in the input>" for n in names)
    return f"kubectl create secret generic {secret_name(tier)} -n {namespace} {literals}"


def literal(tier: str, name: str, value: str) -> EnvValue:
    """A literal env value as tiers accepts it: as is, :class:`NotSecret`, or a
    :class:`SecretKeyRef` to ``<tier>-secrets`` (see :func:`moved`): for a
    name that names a credential, or a value that holds one (a password in a
    URL, a token; :func:`~tiers.checks.credentials.find_credential`)."""
    if find_credential(value) is not None:
        return SecretKeyRef(secret_name(tier), name)
    if not looks_like_credential(name):
        return value
    if value.strip().lower() in PLAIN_VALUES or value.startswith("/"):
        return NotSecret(value)
    return SecretKeyRef(secret_name(tier), name)


def holds_credential(key: str, value: str) -> bool:
    """True when an annotation ``key: value`` holds a literal credential."""
    name = key.rpartition("/")[2]
    if looks_like_credential(name) and not is_placeholder(value):
        return True
    return find_credential(value) is not None


def redacted(
    container: dict[str, Any], values: list[str] | None, moved: dict[str, str]
) -> list[str] | None:
    """``values`` (the container's command or args) through :func:`redacted_args`,
    the env vars made for it added to ``moved``."""
    if values is None:
        return None
    entries = container.get("env")
    taken = (
        {str(e.get("name")) for e in entries if isinstance(e, dict)}
        if isinstance(entries, list)
        else set()
    )
    result, found = redacted_args(values, taken | set(moved))
    moved.update(found)
    return result


def redacted_args(values: list[str], taken: set[str]) -> tuple[list[str], dict[str, str]]:
    """``values`` (a command or args) with each literal credential replaced by
    ``$(VAR)``, and VAR → what it held (``the value of --password``), for env
    vars from ``<tier>-secrets``; Kubernetes expands ``$(VAR)`` in both.
    ``taken`` holds the env names already used, and gets the new ones."""
    result = list(values)
    moved: dict[str, str] = {}
    while (found := find_in_args(result)) is not None:
        index, what = found
        variable = _variable(result, index, taken)
        arg = result[index]
        result[index] = f"{arg[: what.start]}$({variable}){arg[what.end :]}"
        moved[variable] = what.what
        taken.add(variable)
    return result, moved


def _variable(values: list[str], index: int, taken: set[str]) -> str:
    """An env name for the credential at ``index``: from its flag (``--db-password``
    → ``DB_PASSWORD``), else ``ARG_<index>``; made unique against ``taken``."""
    flag = values[index] if "=" in values[index] else (values[index - 1] if index else "")
    head = flag.split("=", 1)[0].lstrip("-") if flag.startswith("-") else ""
    base = re.sub(r"[^A-Za-z0-9]+", "_", head).strip("_").upper() or f"ARG_{index}"
    base = f"_{base}" if base[0].isdigit() else base
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def moved(env: dict[str, EnvValue], container: dict[str, Any]) -> list[str]:
    """The env vars whose literal value in ``container`` :func:`literal` moved to a Secret."""
    entries = container.get("env")
    literals = {
        e["name"]
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict)
        and isinstance(e.get("name"), str)
        and isinstance(e.get("value"), str)
    }
    return [n for n, v in env.items() if isinstance(v, SecretKeyRef) and n in literals]


def value_from(cls: type[Tier], item: dict[str, Any]) -> tuple[str, EnvValue] | None:
    """The env entry ``item`` as a Secret or ConfigMap reference, with its name,
    when tiers renders that reference back to the same entry; else ``None``."""
    name = item["name"]
    source = item.get("valueFrom")
    if isinstance(source, dict) and len(source) == 1:
        ref = _key_ref(source, "secretKeyRef")
        if ref is not None and name not in cls.profile.secret_files:
            return name, SecretKeyRef(*ref)
        ref = _key_ref(source, "configMapKeyRef")
        if ref is not None:
            return name, ConfigMapKeyRef(*ref)
    return _secret_file(cls, name, item.get("value"))


def _key_ref(source: dict[str, Any], field: str) -> tuple[str, str] | None:
    ref = source.get(field)
    if not isinstance(ref, dict) or set(ref) != {"name", "key"}:
        return None
    name, key = ref["name"], ref["key"]
    return (name, key) if isinstance(name, str) and isinstance(key, str) else None


def _secret_file(cls: type[Tier], name: str, value: Any) -> tuple[str, EnvValue] | None:
    """tiers' own ``*_FILE`` form: the variable the kind maps to ``name``."""
    if not isinstance(value, str) or not value.startswith(f"{SECRET_MOUNT_ROOT}/"):
        return None
    parts = value[len(SECRET_MOUNT_ROOT) + 1 :].split("/")
    variable = next((k for k, v in cls.profile.secret_files.items() if v == name), None)
    if len(parts) != 2:
        return None
    if variable is None and name.endswith(FILE_SUFFIX) and len(name) > len(FILE_SUFFIX):
        return name[: -len(FILE_SUFFIX)], SecretKeyRef(parts[0], parts[1], file_env=name)
    if variable is None:
        return None
    return variable, SecretKeyRef(parts[0], parts[1])


def annotation_maps(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The annotations of ``manifest`` and of each object template in it (its
    pods', a CronJob's Jobs' and their pods')."""
    for path in (
        ("metadata",),
        ("spec", "template", "metadata"),
        ("spec", "jobTemplate", "metadata"),
        ("spec", "jobTemplate", "spec", "template", "metadata"),
    ):
        annotations = dig(manifest, *path, "annotations")
        if isinstance(annotations, dict):
            yield annotations
