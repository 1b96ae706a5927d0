"""Jobs, CronJobs and DaemonSets: what the examples build, field by field,
their NetworkPolicies and namespaces, the sync waves and hooks written for
Argo CD and Flux, the graph, the layouts through kubectl kustomize, and tiers
diff. (Schemas and checkov: tests/test_schema.py and tests/test_checkov.py,
over every example; import round trips: tests/test_import.py.)"""

from __future__ import annotations

import doctest
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

import tiers.model.workloads
from tests.conftest import EXAMPLES, build_docs, run_tiers
from tests.tools import keyed, kustomize, mermaid_parse
from tiers import (
    App,
    Backend,
    CronJob,
    DaemonSet,
    HostPath,
    Job,
    MySQL,
    NotSecret,
    Patch,
    Toleration,
    compile_app,
    manifests,
)
from tiers.compiler import validate
from tiers.graph import dot, mermaid
from tiers.loader import load_app

OPERATIONS = str(EXAMPLES / "operations.py")
NODE_AGENT = str(EXAMPLES / "node_agent.py")


@functools.cache
def _docs(example: str) -> list[dict[str, Any]]:
    return build_docs(example)


def _find(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def _policy(docs: list[dict[str, Any]], tier: str) -> dict[str, Any]:
    return _find(docs, "NetworkPolicy", f"{tier}-network-policy")["spec"]


def _peers(rules: list[dict[str, Any]]) -> dict[str, list[int]]:
    """``app.kubernetes.io/name`` of each peer → the ports the rule opens."""
    found: dict[str, list[int]] = {}
    for rule in rules:
        for peer in rule.get("from", rule.get("to", [])):
            name = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
            if name:
                found[name] = sorted(p["port"] for p in rule.get("ports", []))
    return found


def test_a_migration_job_runs_to_completion_hardened_and_without_probes() -> None:
    job = _find(_docs("operations"), "Job", "migrate")
    spec = job["spec"]
    assert (spec["backoffLimit"], spec["activeDeadlineSeconds"]) == (3, 600)
    assert "ttlSecondsAfterFinished" not in spec and "replicas" not in spec
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    [container] = pod["containers"]
    assert container["command"] == ["/app/migrate", "up"]
    assert "readinessProbe" not in container and "livenessProbe" not in container
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["resources"]["limits"] == {"cpu": "500m", "memory": "256Mi"}
    env = {e["name"]: e for e in container["env"]}
    assert env["DB_HOST"]["value"] == "mysql-service"
    path = "/etc/secrets/mysql-credentials/root-password"
    assert env["DB_PASSWORD_FILE"] == {"name": "DB_PASSWORD_FILE", "value": path}
    assert "DB_PASSWORD" not in env
    labels = spec["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "migrate"


def test_a_job_that_references_the_database_is_wired_like_the_backend() -> None:
    docs = _docs("operations")
    assert _peers(_policy(docs, "migrate")["egress"]) == {"mysql": [3306]}
    admitted = _peers(_policy(docs, "mysql")["ingress"])
    assert admitted == {"backend": [3306], "migrate": [3306]}
    assert _policy(docs, "migrate")["ingress"] == []
    assert not [d for d in docs if d["kind"] == "Service" and "migrate" in d["metadata"]["name"]]


def test_the_job_before_the_backend_is_an_argo_cd_sync_hook_between_two_waves() -> None:
    docs = _docs("operations")
    job = _find(docs, "Job", "migrate")["metadata"]["annotations"]
    assert job == {
        "argocd.argoproj.io/sync-wave": "1",
        "argocd.argoproj.io/hook": "Sync",
        "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "kustomize.toolkit.fluxcd.io/force": "enabled",
    }
    waves = {
        (d["kind"], d["metadata"]["name"]): d["metadata"]
        .get("annotations", {})
        .get("argocd.argoproj.io/sync-wave")
        for d in docs
    }
    backend = {k: v for k, v in waves.items() if k[1].startswith("backend")}
    assert set(backend.values()) == {"2"}, backend  # every object of the backend
    assert waves[("StatefulSet", "mysql")] is None  # wave 0: written as nothing
    assert waves[("CronJob", "nightly-report")] is None


def test_sync_waves_from_the_wiring_put_databases_first_then_services_then_clients() -> None:
    app = App("shop", sync_waves=True)
    db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    api = app.add(Backend("api", image="api:1.0", env={"DB_HOST": db.host}))
    app.add(Backend("web", image="web:1.0", env={"API": api.url()}))
    app.add(Job("migrate", image="api:1.0", env={"DB_HOST": db.host}, before=[api]))
    waves = {t.name: t.rollout.wave if t.rollout else 0 for t in compile_app(app).app.tiers}
    assert waves == {"mysql": 0, "migrate": 1, "api": 2, "web": 3}


def test_a_cycle_of_references_leaves_one_order_out_and_keeps_the_others() -> None:
    app = App("loop", sync_waves=True)
    first = Backend("a", image="a:1.0")
    second = app.add(Backend("b", image="b:1.0", env={"A": first.url()}))
    first.env["B"] = second.url()
    app.add(first)
    app.add(Backend("c", image="c:1.0", env={"B": second.url()}))
    waves = {t.name: t.rollout.wave if t.rollout else 0 for t in compile_app(app).app.tiers}
    assert sorted(waves.values()) == [0, 1, 2]
    assert waves["c"] == waves["b"] + 1


def test_a_nightly_cronjob_has_its_schedule_time_zone_and_job_template() -> None:
    cron = _find(_docs("operations"), "CronJob", "nightly-report")
    spec = cron["spec"]
    assert spec["schedule"] == "0 2 * * *"
    assert spec["timeZone"] == "Europe/Berlin"
    assert spec["concurrencyPolicy"] == "Forbid"
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    job = spec["jobTemplate"]["spec"]
    assert job["backoffLimit"] == 6
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["env"][0] == {
        "name": "API_URL",
        "value": "http://backend-service/internal/report",
    }
    assert "annotations" not in cron["metadata"]  # only Jobs get Flux's force


def test_the_cronjob_is_admitted_by_the_backend_it_calls() -> None:
    docs = _docs("operations")
    assert _peers(_policy(docs, "backend")["ingress"]) == {
        "frontend": [8080],
        "nightly-report": [8080],
    }


def test_a_daemonset_mounts_host_paths_read_only_and_tolerates_taints() -> None:
    docs = _docs("node_agent")
    daemon = _find(docs, "DaemonSet", "node-exporter")
    spec = daemon["spec"]
    assert spec["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1},
    }
    pod = spec["template"]["spec"]
    assert pod["tolerations"] == [{"operator": "Exists", "effect": "NoSchedule"}]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["host-proc"]["hostPath"] == {"path": "/proc", "type": "Directory"}
    mounts = {m["mountPath"]: m for m in pod["containers"][0]["volumeMounts"]}
    assert mounts["/host/proc"] == {
        "name": "host-proc",
        "mountPath": "/host/proc",
        "readOnly": True,
    }
    assert mounts["/host/sys"]["readOnly"] is True
    assert pod["containers"][0]["readinessProbe"]["tcpSocket"] == {"port": 9100}


def test_host_paths_set_the_namespace_to_privileged_with_a_warning_naming_the_tier() -> None:
    namespace = _find(_docs("node_agent"), "Namespace", "monitoring")["metadata"]["labels"]
    assert namespace["pod-security.kubernetes.io/enforce"] == "privileged"
    assert namespace["pod-security.kubernetes.io/warn"] == "restricted"
    # One warning per host path, each naming the level its namespace enforces
    # (the namespace-wide warning would say it again); the example accepts them.
    warnings = compile_app(load_app(NODE_AGENT)).warnings
    assert [(w.tier, w.field, w.code, w.severity) for w in warnings] == [
        ("node-exporter", "host_paths[0]", "host-path", "accepted"),
        ("node-exporter", "host_paths[1]", "host-path", "accepted"),
    ]
    assert "mounts the node's /proc (read-only)" in warnings[0].message
    assert "namespace 'monitoring' enforces the privileged level" in warnings[0].message


def test_without_host_paths_a_daemonset_stays_restricted() -> None:
    app = App("agents")
    app.add(DaemonSet("agent", image="agent:1.0", tolerations=[Toleration("gpu", value="a100")]))
    compiled = compile_app(app)
    [namespace] = [o.manifest for o in compiled.objects if o.kind == "Namespace"]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    pod = next(o.manifest for o in compiled.objects if o.kind == "DaemonSet")["spec"]["template"]
    assert pod["spec"]["tolerations"] == [{"key": "gpu", "operator": "Equal", "value": "a100"}]
    assert compiled.warnings == []


def test_a_writable_host_path_says_the_pod_can_change_the_node() -> None:
    app = App("agents", namespace="agents")
    path = HostPath("/var/lib/agent", read_only=False, type="DirectoryOrCreate")
    app.add(DaemonSet("agent", image="agent:1.0", host_paths=[path]))
    warnings = compile_app(app).warnings  # also: the namespace's level, from the pods
    [warning] = [w for w in warnings if w.code == "host-path"]
    assert "writable, so the pod can change the node's files" in warning.message


@pytest.mark.parametrize("layout", ["stream", "tier", "resource"])
def test_kustomize_builds_the_same_objects_in_every_layout(layout: str, tmp_path: Path) -> None:
    result = run_tiers("build", OPERATIONS, "-o", str(tmp_path), "--layout", layout)
    assert result.returncode == 0, result.stderr
    assert keyed(kustomize(tmp_path)) == keyed(_docs("operations"))
    if layout == "resource":
        assert (tmp_path / "migrate" / "job-migrate.yaml").is_file()
        assert (tmp_path / "nightly-report" / "cronjob-nightly-report.yaml").is_file()
        assert {d["kind"] for d in kustomize(tmp_path / "migrate")} == {"Job", "NetworkPolicy"}


def test_diff_names_a_changed_job_and_schedule(tmp_path: Path) -> None:
    out = tmp_path / "deploy"
    assert run_tiers("build", OPERATIONS, "-o", str(out)).returncode == 0
    assert run_tiers("diff", OPERATIONS, str(out)).returncode == 0
    report = out / "nightly-report.yaml"
    report.write_text(report.read_text().replace("0 2 * * *", "0 3 * * *"))
    job = out / "migrate.yaml"
    job.write_text(job.read_text().replace("backoffLimit: 3", "backoffLimit: 4"))
    result = run_tiers("diff", OPERATIONS, str(out))
    assert result.returncode == 1
    heads = [line for line in result.stdout.splitlines() if line.startswith("changed: ")]
    assert heads == ["changed: Job shop/migrate", "changed: CronJob shop/nightly-report"]
    lines = result.stdout.splitlines()
    assert [line for line in lines if "schedule:" in line] == [
        '-  schedule: "0 3 * * *"',
        '+  schedule: "0 2 * * *"',
    ]


def test_the_graph_draws_each_kind_with_its_own_shape() -> None:
    resolved = compile_app(load_app(OPERATIONS)).app
    text = mermaid(resolved)
    [parsed] = mermaid_parse(text)
    shapes = {n["text"].split("<br>")[0]: n.get("shape") for n in parsed["nodes"]}
    assert shapes["migrate"] != shapes["backend"]
    assert shapes["nightly-report"] not in (shapes["migrate"], shapes["backend"])
    assert "schedule 0 2 * * * (Europe/Berlin)" in text
    assert "runs before" in text
    graph = dot(resolved)
    assert "shape=parallelogram" in graph and "shape=hexagon" in graph
    assert "ExternalName orders.db.example.com" in text
    assert "Service without selector: 10.20.0.25" in text
    [dashed] = [e for e in parsed["edges"] if e["stroke"] == "dotted"]
    assert dashed["text"] == "runs before"


def test_the_graph_draws_a_daemonset_as_a_stack() -> None:
    resolved = compile_app(load_app(NODE_AGENT)).app
    assert "shape=box3d" in dot(resolved)
    [parsed] = mermaid_parse(mermaid(resolved))
    assert parsed["nodes"][0]["text"].startswith("node-exporter<br>DaemonSet")


def test_a_cronjob_needs_a_schedule_and_a_job_refuses_a_service() -> None:
    app = App("jobs")
    app.add(CronJob("report", image="r:1.0", schedule="0 2 * * 8"))
    app.add(Job("once", image="o:1.0", service="ClusterIP", ports=[8080]))
    _, diagnostics = validate(app)
    codes = sorted(d.code for d in diagnostics if d.severity == "error")
    assert codes == ["cron-schedule", "kind-field"]


def test_the_module_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(tiers.model.workloads)
    assert tried > 0 and failures == 0


def test_patches_reach_a_job_a_cronjob_and_a_daemonset() -> None:
    node = {"spec": {"template": {"spec": {"nodeSelector": {"pool": "batch"}}}}}
    cron = {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"priorityClassName": "low"}}}}}}
    app = App("jobs")
    app.add(Job("once", image="o:1.0", patches=[Patch("Job", node)]))
    app.add(CronJob("often", image="o:1.0", schedule="@hourly", patches=[Patch("CronJob", cron)]))
    app.add(DaemonSet("agent", image="a:1.0", patches=[Patch("DaemonSet", node)]))
    docs = manifests(app)
    assert _find(docs, "Job", "once")["spec"]["template"]["spec"]["nodeSelector"] == {
        "pool": "batch"
    }
    often = _find(docs, "CronJob", "often")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert often["priorityClassName"] == "low"
    assert _find(docs, "DaemonSet", "agent")["spec"]["template"]["spec"]["nodeSelector"]
    bad = App("jobs")
    typo = {"spec": {"backofLimit": 2}}
    bad.add(Job("once", image="o:1.0", patches=[Patch("Job", typo)]))
    _, diagnostics = validate(bad)
    [problem] = diagnostics
    assert problem.code == "patch-schema" and "backofLimit" in problem.message


ENVIRONMENTS = """
from typing import Literal

from tiers import App, CronJob
from tiers.model.environments import environments

Env = Literal["dev", "prod"]


@environments(default="dev")
def app(env: Env) -> App:
    jobs = App("jobs", namespace=f"jobs-{env}")
    schedule = "@hourly" if env == "dev" else "0 2 * * *"
    jobs.add(CronJob("report", image="report:2.0.1", schedule=schedule, suspend=env == "dev"))
    return jobs
"""


def test_an_environment_can_change_a_cronjobs_schedule(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(ENVIRONMENTS)
    found = {}
    for env in ("dev", "prod"):
        result = run_tiers("build", str(path), "--env", env)
        assert result.returncode == 0, result.stderr
        [cron] = [d for d in yaml.safe_load_all(result.stdout) if d and d["kind"] == "CronJob"]
        found[env] = (cron["spec"]["schedule"], cron["spec"].get("suspend", False))
    assert found == {"dev": ("@hourly", True), "prod": ("0 2 * * *", False)}
