"""ServiceAccounts and RBAC: the account a workload's pods run as, and the
Roles bound to it, into ``service_account=ServiceAccount(permissions=[...])``.

An account is imported with the one workload that uses it (an account two
workloads share stays out, with its warning: each tier has its own). A Role
is imported as the account's permissions when tiers would write it again:
bound to that account alone by a binding of the same name, named after the
account (a ClusterRole ``<namespace>-<account>``), every rule made of API
groups, resources, verbs Kubernetes knows and optional resource names.
"""

from __future__ import annotations

from typing import Any, get_args

from tiers.importer.group import Group, Plan, Scope, dig
from tiers.importer.read import Source
from tiers.model.rbac import Permission, ServiceAccount, Verb

RBAC_API = "rbac.authorization.k8s.io/v1"
VERBS = frozenset(get_args(Verb))
KINDS = {"Role": "RoleBinding", "ClusterRole": "ClusterRoleBinding"}


def claim_accounts(sources: list[Source], groups: list[Group], namespace: str | None) -> set[int]:
    """Attach to each group its ServiceAccount and the roles bound to it;
    the ids of the sources so attached."""
    claimed: set[int] = set()
    users: dict[tuple[str | None, str], list[Group]] = {}
    for g in groups:
        name = account_of(g)
        if name is not None:
            users.setdefault((g.namespace, name), []).append(g)
    for source in sources:
        key = (source.namespace or namespace, source.name)
        found = users.get(key, [])
        account = source.kind == "ServiceAccount" and source.manifest.get("apiVersion") == "v1"
        if account and len(found) == 1 and key[0] is not None:
            found[0].accounts = [source, *_roles(sources, key[0], source.name, namespace)]
            claimed.update(id(s) for s in found[0].accounts)
    return claimed


def account_of(g: Group) -> str | None:
    """The ServiceAccount a group's pods run as, if they name one."""
    spec = dig(g.pod_template, "spec")
    name = dig(spec, "serviceAccountName") or dig(spec, "serviceAccount")
    return name if isinstance(name, str) and name != "default" else None


def _roles(
    sources: list[Source], namespace: str, account: str, default: str | None
) -> list[Source]:
    """The Roles and ClusterRoles (each then its binding) tiers would write for ``account``."""
    found: list[Source] = []
    for kind, binding_kind in KINDS.items():
        name = account if kind == "Role" else f"{namespace}-{account}"
        role = _find(sources, kind, name, namespace if kind == "Role" else None, default)
        binding = _find(sources, binding_kind, name, namespace if kind == "Role" else None, default)
        if role is None or binding is None:
            continue
        if _binds(binding.manifest, kind, name, account, namespace) and _rules(role) is not None:
            found += [role, binding]
    return found


def _find(
    sources: list[Source], kind: str, name: str, namespace: str | None, default: str | None
) -> Source | None:
    for source in sources:
        same = source.kind == kind and source.name == name
        where = source.namespace or default if namespace is not None else None
        if same and source.manifest.get("apiVersion") == RBAC_API and where == namespace:
            return source
    return None


def _binds(binding: dict[str, Any], kind: str, name: str, account: str, namespace: str) -> bool:
    reference = binding.get("roleRef")
    subject = {"kind": "ServiceAccount", "name": account, "namespace": namespace}
    return reference == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": kind,
        "name": name,
    } and binding.get("subjects") == [subject]


def _rules(role: Source) -> list[Permission] | None:
    """The role's rules as permissions, or ``None`` when one cannot be written so."""
    rules = role.manifest.get("rules")
    if not isinstance(rules, list) or not rules:
        return None
    found = []
    for rule in rules:
        permission = _permission(rule, role.kind == "ClusterRole")
        if permission is None:
            return None
        found.append(permission)
    return found


def _permission(rule: Any, cluster_wide: bool) -> Permission | None:
    if not isinstance(rule, dict) or set(rule) - {
        "apiGroups",
        "resources",
        "verbs",
        "resourceNames",
    }:
        return None
    lists = [rule.get(k, []) for k in ("apiGroups", "resources", "verbs", "resourceNames")]
    if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists):
        return None
    groups, resources, verbs, names = lists
    if not set(verbs) <= VERBS or not groups:
        return None
    return Permission(
        list(resources),
        list(verbs),
        api_groups=list(groups),
        resource_names=list(names),
        cluster_wide=cluster_wide,
    )


def service_account(plan: Plan, scope: Scope, generated: dict[str, str]) -> ServiceAccount | None:
    """The tier's ``service_account``: the account attached to its group, and
    the permissions of the roles attached with it; ``generated`` are the
    labels tiers puts on it (the tier's)."""
    if not plan.group.accounts:
        return None
    account, *roles = plan.group.accounts
    permissions = [p for r in roles if r.kind in KINDS for p in _rules(r) or []]
    name = account.name if account.name != plan.name else None
    labels = dig(account.manifest, "metadata", "labels")
    annotations = dig(account.manifest, "metadata", "annotations")
    return ServiceAccount(
        name,
        permissions=permissions,
        labels=_leftover(labels, generated),
        annotations=_leftover(annotations, {}),
    )


def _leftover(found: Any, generated: dict[str, str]) -> dict[str, str]:
    values = found if isinstance(found, dict) else {}
    return {str(k): str(v) for k, v in values.items() if generated.get(str(k)) != str(v)}
