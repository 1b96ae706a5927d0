"""Env values that do not belong in Git as plain text.

tiers never writes a real secret into the manifests it generates: a
credential comes from a Secret managed outside Git (created with ``kubectl
create secret``, sealed-secrets or external-secrets) through
:class:`SecretKeyRef`. Where the image can read it from a file (the official
images' ``*_FILE`` variables), tiers mounts the Secret as a file instead of
putting it in the environment.

>>> from tiers import MySQL, SecretKeyRef
>>> db = MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-root", "password")})
"""

from __future__ import annotations

from dataclasses import KW_ONLY

from tiers.model.base import model


@model
class SecretKeyRef:
    """The value of ``key`` in the Secret ``secret``, which is managed elsewhere.

    ``file_env`` (default ``None``: the kind decides; MySQL maps
    ``MYSQL_ROOT_PASSWORD`` to ``MYSQL_ROOT_PASSWORD_FILE``) mounts the Secret
    as a read-only file and sets that variable to the file's path instead.
    """

    secret: str
    key: str
    _: KW_ONLY
    file_env: str | None = None


@model
class ConfigMapKeyRef:
    """The value of ``key`` in the ConfigMap ``config_map``, managed elsewhere."""

    config_map: str
    key: str


@model
class DevSecret:
    """A throwaway credential for development: tiers emits a Secret
    ``<tier>-dev-secrets`` holding ``value`` in plain text, in Git.

    Always a warning. Never use it for a credential that protects anything.
    """

    value: str


@model
class NotSecret:
    """A literal value for a variable whose name only looks like a credential
    (``PUBLIC_KEY_ID``, ``MYSQL_ALLOW_EMPTY_PASSWORD``)."""

    value: str


EnvSource = SecretKeyRef | ConfigMapKeyRef | DevSecret | NotSecret
