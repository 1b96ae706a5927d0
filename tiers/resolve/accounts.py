"""ServiceAccounts and RBAC: a tier's ``service_account`` into a
ServiceAccount, a Role and RoleBinding for its namespaced permissions, a
ClusterRole and ClusterRoleBinding for its cluster-wide ones, and the API
token mounted into its main container when it has any permission.

The ServiceAccount never mounts its token into every pod that uses it
(``automountServiceAccountToken: false``, as the pod itself says); a tier
that may call the API gets the token through a projected volume at the path
client libraries read (``/var/run/secrets/kubernetes.io/serviceaccount``):
the token (renewed by the kubelet), the cluster's CA and the namespace, in
its main container only, so that its sidecars and init containers never
hold the tier's API access.
"""

from __future__ import annotations

from tiers import ir
from tiers.diagnostics import Diagnostic
from tiers.model import app as model
from tiers.model.rbac import Permission, ServiceAccount

TOKEN_VOLUME = "kube-api-access"
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_SECONDS = 3600
"""The token's lifetime; the kubelet renews it before it expires."""


def resolve_service_accounts(
    app: model.App,
    pairs: list[tuple[model.Tier, ir.Tier]],
    result: ir.App,
    diagnostics: list[Diagnostic],
) -> None:
    """Give each tier with a ``service_account`` its ServiceAccount and roles."""
    for tier, resolved in pairs:
        account = getattr(tier, "service_account", None)
        if isinstance(account, ServiceAccount):
            _account(tier, account, resolved)


def account_name(tier: model.Tier, account: ServiceAccount) -> str:
    """The ServiceAccount's name: its own, else the tier's."""
    return account.name if account.name is not None else tier.name


def _account(tier: model.Tier, account: ServiceAccount, resolved: ir.Tier) -> None:
    name = account_name(tier, account)
    labels = resolved.workload.meta.labels
    if account.labels:
        labels = {**labels, **account.labels}
    meta = ir.Meta(name, resolved.namespace, labels, dict(account.annotations))
    resolved.service_account = ir.ServiceAccount(meta)
    resolved.workload.service_account_name = name
    resolved.roles = _roles(account, meta)
    if account.permissions:
        _mount_token(resolved.workload)


def _roles(account: ServiceAccount, meta: ir.Meta) -> list[ir.Role]:
    """A Role for the namespaced permissions, a ClusterRole for the others."""
    found = []
    for kind, cluster_wide in (("Role", False), ("ClusterRole", True)):
        rules = [
            _rule(p, f"service_account.permissions[{i}]")
            for i, p in enumerate(account.permissions)
            if p.cluster_wide is cluster_wide
        ]
        if rules:
            name = f"{meta.namespace}-{meta.name}" if cluster_wide else meta.name
            role_meta = ir.Meta(name, meta.namespace, meta.labels)
            found.append(ir.Role(kind, role_meta, rules, meta.name, meta.namespace))
    return found


def _rule(permission: Permission, origin: str) -> ir.RbacRule:
    return ir.RbacRule(
        api_groups=list(permission.api_groups),
        resources=list(permission.resources),
        verbs=list(permission.verbs),
        resource_names=list(permission.resource_names),
        origin=origin,
    )


def _mount_token(workload: ir.Workload) -> None:
    workload.volumes.append(ir.Volume(TOKEN_VOLUME, token_seconds=TOKEN_SECONDS))
    mount = ir.VolumeMount(TOKEN_VOLUME, TOKEN_PATH, read_only=True)
    workload.containers[0].volume_mounts.append(mount)
