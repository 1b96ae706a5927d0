"""Checks of ServiceAccounts and their permissions: valid and unique names,
rules that say something, and the grants that deserve a second look (every
verb or resource, reading Secrets, the whole cluster), each a warning that
names the tier."""

from __future__ import annotations

from collections.abc import Iterator

from tiers import ir
from tiers.checks import rules
from tiers.checks.context import Context
from tiers.diagnostics import Diagnostic
from tiers.model.rbac import READ_VERBS

UNNAMEABLE = frozenset({"create", "deletecollection"})
"""Verbs a rule with ``resourceNames`` never grants: the request names no object."""
FIELD_SELECTED = frozenset({"list", "watch"})
"""Verbs such a rule grants only to requests with a ``metadata.name`` field selector."""

GROUPS = {
    "deployments": "apps",
    "statefulsets": "apps",
    "daemonsets": "apps",
    "replicasets": "apps",
    "jobs": "batch",
    "cronjobs": "batch",
    "ingresses": "networking.k8s.io",
    "networkpolicies": "networking.k8s.io",
    "leases": "coordination.k8s.io",
    "horizontalpodautoscalers": "autoscaling",
    "poddisruptionbudgets": "policy",
    "roles": "rbac.authorization.k8s.io",
    "rolebindings": "rbac.authorization.k8s.io",
    "endpointslices": "discovery.k8s.io",
    "pods": "",
    "services": "",
    "configmaps": "",
    "secrets": "",
    "events": "",
    "endpoints": "",
    "namespaces": "",
    "nodes": "",
    "persistentvolumeclaims": "",
    "serviceaccounts": "",
}
"""Where the resources apps most often grant live; a permission naming one
in another group grants nothing (the API has no such resource there)."""


def _rules(context: Context) -> Iterator[tuple[ir.Tier, ir.Role, ir.RbacRule]]:
    for tier in context.resolved.tiers:
        for role in tier.roles:
            for rule in role.rules:
                yield tier, role, rule


def check_account_names(context: Context) -> Iterator[Diagnostic]:
    """A ServiceAccount's name is a DNS subdomain, unique in its namespace."""
    owners: dict[tuple[str, str], str] = {}
    for tier in sorted(context.resolved.tiers, key=lambda t: t.location):
        account = tier.service_account
        if account is None:
            continue
        name, namespace = account.meta.name, account.meta.namespace
        reason = rules.dns1123_subdomain(name)
        if reason:
            message = f"'{name}' is not a valid ServiceAccount name: {reason}"
            yield context.error("service-account-name", message, tier, "service_account.name")
            continue
        owner = owners.setdefault((namespace, name), tier.name)
        if owner != tier.name:
            message = (
                f"tier '{owner}' has a ServiceAccount '{name}' in namespace '{namespace}' too: "
                "give each tier its own (ServiceAccount(name=...)), so that each has only "
                "its own permissions"
            )
            yield context.error("service-account-name", message, tier, "service_account.name")


def check_rules(context: Context) -> Iterator[Diagnostic]:
    """Each permission names resources and verbs, in the API group they live in."""
    for tier, _, rule in _rules(context):
        for name in ("resources", "verbs", "api_groups"):
            if not getattr(rule, name):
                message = f"is empty, so the permission grants nothing: list the {name}"
                yield context.error("permission", message, tier, f"{rule.origin}.{name}")
        for resource in rule.resources:
            group = GROUPS.get(resource.split("/")[0])
            if group is not None and group not in rule.api_groups and "*" not in rule.api_groups:
                spelled = f'"{group}"' if group else '"" (the core group)'
                message = (
                    f"'{resource}' lives in the API group {spelled}, which api_groups lacks, so "
                    f"this grants nothing on it: set api_groups=[{spelled.split(' ')[0]}]"
                )
                yield context.warning("permission-group", message, tier, f"{rule.origin}.resources")


def check_broad_grants(context: Context) -> Iterator[Diagnostic]:
    """Wildcards, reading Secrets and cluster-wide grants are warnings."""
    for tier, role, rule in _rules(context):
        for name in ("verbs", "resources", "api_groups"):
            if "*" in getattr(rule, name):
                message = (
                    f"'*' grants every one of the {name.replace('_', ' ')}, those added to "
                    "Kubernetes later too: list only the ones the tier uses"
                )
                yield context.warning("permission-wildcard", message, tier, f"{rule.origin}.{name}")
        reads = READ_VERBS & set(rule.verbs)
        if reads and {"secrets", "*"} & set(rule.resources):
            message = (
                f"can read Secrets ({', '.join(sorted(reads))}): every credential in "
                f"{'the cluster' if role.kind == 'ClusterRole' else 'the namespace'} unless "
                "resource_names lists the tier's own; mount a Secret with SecretKeyRef instead "
                "where the tier only needs its value"
            )
            yield context.warning("permission-secrets", message, tier, f"{rule.origin}.resources")
        if role.kind == "ClusterRole":
            message = (
                "is granted in every namespace (a ClusterRole): drop cluster_wide=True unless "
                "the tier works across namespaces"
            )
            yield context.warning("permission-cluster-wide", message, tier, rule.origin)


def check_resource_names(context: Context) -> Iterator[Diagnostic]:
    """``resource_names`` with verbs it does not restrict as expected: a warning."""
    for tier, _, rule in _rules(context):
        if not rule.resource_names:
            continue
        field = f"{rule.origin}.resource_names"
        never = sorted(UNNAMEABLE & set(rule.verbs))
        if never:
            message = (
                f"with resource_names, {' and '.join(never)} is never granted (the request "
                "names no object yet): grant it in a Permission without resource_names"
            )
            yield context.warning("permission-names", message, tier, field)
        selected = sorted(FIELD_SELECTED & set(rule.verbs))
        if selected:
            message = (
                f"with resource_names, {' and '.join(selected)} is granted only to requests "
                "with the field selector metadata.name=<name>, which most clients do not send"
            )
            yield context.warning("permission-names", message, tier, field)
