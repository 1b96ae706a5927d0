"""Validate: every check of an app, in order, each one small function.

A check takes the :class:`Context` and yields diagnostics. To add one, write
the function in the module of its area and list it in :data:`CHECKS`; add a
bad app for it under ``tests/bad/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tiers.checks import (
    availability,
    batch,
    composed,
    config,
    connections,
    containers,
    daemons,
    env,
    externals,
    hardening,
    images,
    ingress,
    kinds,
    labels,
    names,
    ports,
    ranges,
    rbac,
    reachability,
    routes,
    services,
    text,
    values,
    workloads,
)
from tiers.checks.context import Context
from tiers.checks.patches import check_patched_schema, check_patches
from tiers.diagnostics import Diagnostic

Check = Callable[[Context], Iterable[Diagnostic]]

CHECKS: tuple[Check, ...] = (
    text.check_text,
    names.check_app_name,
    names.check_namespaces,
    names.check_tier_names,
    names.check_duplicate_tiers,
    names.check_workload_names,
    names.check_container_names,
    containers.check_sidecar_names,
    containers.check_unique_container_names,
    containers.check_pod_wide_security,
    containers.check_init_container_kinds,
    containers.check_probe_ports,
    names.check_service_names,
    names.check_duplicate_objects,
    names.check_external_services,
    externals.check_external_kinds,
    externals.check_external_names,
    externals.check_external_addresses,
    externals.check_external_cidrs,
    externals.check_external_egress,
    labels.check_label_keys,
    labels.check_label_values,
    labels.check_empty_selector,
    labels.check_annotations,
    workloads.check_replicas,
    batch.check_kind_fields,
    batch.check_job_numbers,
    batch.check_schedules,
    batch.check_time_zones,
    batch.check_batch_names,
    batch.check_batch_sidecars,
    daemons.check_host_paths,
    daemons.check_tolerations,
    daemons.check_update_strategies,
    rbac.check_account_names,
    rbac.check_rules,
    rbac.check_broad_grants,
    rbac.check_resource_names,
    ranges.check_integer_ranges,
    images.check_image_present,
    values.check_image_references,
    images.check_image_pinned,
    kinds.check_image_kind,
    kinds.check_required_credentials,
    ports.check_container_port_numbers,
    ports.check_container_port_names,
    ports.check_unique_container_ports,
    services.check_shortcut_with_services,
    services.check_service_has_ports,
    services.check_service_port_numbers,
    services.check_service_port_names,
    services.check_unique_service_ports,
    services.check_target_ports,
    services.check_selectors,
    services.check_headless,
    services.check_node_ports,
    services.check_database_exposure,
    env.check_env_names,
    env.check_unique_env,
    env.check_env_expansion,
    composed.check_references_outside_env,
    connections.check_peers,
    connections.check_default_peers,
    connections.check_ingress_from,
    connections.check_egress_to,
    check_patches,
    check_patched_schema,
    availability.check_autoscalers,
    availability.check_disruption_budgets,
    availability.check_topology_spread,
    config.check_config_maps,
    config.check_mount_paths,
    ingress.check_ingress_hosts,
    ingress.check_ingress_paths,
    ingress.check_ingress_names,
    ingress.check_ingress_conflicts,
    routes.check_route_hostnames,
    routes.check_route_paths,
    routes.check_route_gateway,
    hardening.check_credential_literals,
    values.check_credentials_in_args,
    values.check_credentials_in_annotations,
    values.check_credentials_in_config_maps,
    values.check_url_references,
    values.check_cluster_domain,
    hardening.check_dev_secrets,
    hardening.check_resources,
    hardening.check_storage_sizes,
    hardening.check_key_refs,
)


WIRED_CHECKS: tuple[Check, ...] = (
    reachability.check_unadmitted_services,
    reachability.check_literal_service_names,
)
"""Checks that judge the whole wiring graph (what the NetworkPolicies would
deny): they run only on an app without errors, whose every reference was
resolved into an edge, so that a missing edge is the app's and not an error's."""


def run_checks(context: Context, earlier: Iterable[Diagnostic] = ()) -> list[Diagnostic]:
    """Every diagnostic of every check; those of :data:`WIRED_CHECKS` when
    neither the checks nor ``earlier`` (resolving's) found an error."""
    found: list[Diagnostic] = []
    for check in CHECKS:
        found.extend(check(context))
    if not any(d.severity == "error" for d in [*earlier, *found]):
        for check in WIRED_CHECKS:
            found.extend(check(context))
    return found


__all__ = ["CHECKS", "WIRED_CHECKS", "Check", "Context", "run_checks"]
