"""A tier's own ServiceAccount and what it may do in the Kubernetes API.

A tier with ``service_account=ServiceAccount(...)`` runs as a ServiceAccount
of its own (named after the tier by default). Its :class:`Permission` s
compile to a Role and RoleBinding in the tier's namespace, and those marked
``cluster_wide`` to a ClusterRole and ClusterRoleBinding. A ServiceAccount
never mounts its token by itself (``automountServiceAccountToken: false``);
a tier that has permissions gets the token in its main container only,
through a projected volume at the standard path, where Kubernetes client
libraries look for it.

>>> from tiers import Permission, ServiceAccount
>>> reader = ServiceAccount(permissions=[Permission(["configmaps"], ["get", "list", "watch"])])
>>> reader.permissions[0].api_groups
['']
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import Literal

from tiers.model.base import model

Verb = Literal[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
    "approve",
    "sign",
    "*",
]
"""The verbs of Kubernetes' authorization: the API's own eight, then those of
special resources (``use``, ``bind``, ``escalate``, ``impersonate``,
``approve``, ``sign``), and ``*`` for all (a warning)."""

READ_VERBS = frozenset({"get", "list", "watch", "*"})


@model
class Permission:
    """Verbs a tier may use on resources of the Kubernetes API (one RBAC rule).

    - ``resources``: resource names as the API spells them, plural and lower
      case, subresources after a ``/`` (``["pods", "pods/log"]``).
    - ``verbs``: what it may do (see :data:`Verb`); an unknown verb is an error.
    - ``api_groups``: ``[""]`` (the default) is the core group (pods,
      configmaps, secrets, services); ``["apps"]`` for deployments,
      ``["batch"]`` for jobs, and so on.
    - ``resource_names``: only these objects; none by default (all of them).
      Kubernetes cannot restrict ``list``, ``watch``, ``create`` or
      ``deletecollection`` by name (a warning).
    - ``cluster_wide``: ``False`` (the default) grants it in the tier's
      namespace (a Role); ``True`` in every namespace (a ClusterRole, a
      warning).

    Warnings, each naming the tier: ``*`` among the verbs, resources or API
    groups; read access to ``secrets``; a cluster-wide grant.

    >>> Permission(["leases"], ["get", "update"], api_groups=["coordination.k8s.io"]).cluster_wide
    False
    """

    resources: list[str]
    verbs: list[Verb]
    _: KW_ONLY
    api_groups: list[str] = field(default_factory=lambda: [""])
    resource_names: list[str] = field(default_factory=list)
    cluster_wide: bool = False


@model
class ServiceAccount:
    """The tier's own ServiceAccount.

    ``name`` defaults to the tier's name; ``permissions`` (none by default)
    are what the tier may do in the Kubernetes API, each a :class:`Permission`;
    ``labels`` and ``annotations`` are added to the ServiceAccount (a cloud's
    workload identity, ``eks.amazonaws.com/role-arn`` for example).
    """

    name: str | None = None
    _: KW_ONLY
    permissions: list[Permission] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
