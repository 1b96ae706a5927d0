"""Hostile values through the command line: privilege escalations written
through a ``Patch``, credentials where they hide, integers out of
Kubernetes' ranges, text that is not UTF-8 and values no walker could
finish. Each is reported at its file, line, tier and field (a warning or an
error, as the typed field would be), never a traceback; an error writes
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_tiers

ENFORCE = "pod-security.kubernetes.io/enforce"


def _app(work: Path, tier: str, head: str = "") -> Path:
    path = work / "app.py"
    path.write_text(
        f"{head}from tiers import App, Backend, Patch\napp = App('shop')\napp.add({tier})\n",
        encoding="utf-8",
    )
    return path


def _patched(work: Path, spec: dict[str, Any]) -> Path:
    patch = {"spec": {"template": {"spec": spec}}}
    return _app(
        work, f"Backend('api', image='my-api:1.4.2', patches=[Patch('Deployment', {patch!r})])"
    )


def _build(app: Path) -> tuple[int, str, list[dict[str, Any]]]:
    done = run_tiers("build", str(app), cwd=app.parent)
    assert "Traceback" not in done.stderr, done.stderr
    docs = [d for d in yaml.safe_load_all(done.stdout) if d] if done.returncode == 0 else []
    return done.returncode, done.stderr, docs


def _enforced(docs: list[dict[str, Any]]) -> str:
    namespace = next(d for d in docs if d["kind"] == "Namespace")
    return str(namespace["metadata"]["labels"][ENFORCE])


# 8: every way a patch can lift a pod out of restricted warns at the patch, and the
# Namespace enforces the level the pods really need

C = "containers[0].securityContext"
ESCALATIONS = [
    (
        {
            "initContainers": [
                {"name": "setup", "image": "busybox:1.36", "securityContext": {"privileged": True}}
            ]
        },
        "initContainers[0].securityContext.privileged",
        "privileged",
    ),
    (
        {
            "ephemeralContainers": [
                {"name": "dbg", "image": "busybox:1.36", "securityContext": {"privileged": True}}
            ]
        },
        "ephemeralContainers[0].securityContext.privileged",
        "privileged",
    ),
    (
        {"containers": [{"name": "api", "securityContext": {"procMount": "Unmasked"}}]},
        f"{C}.procMount",
        "privileged",
    ),
    (
        {"containers": [{"name": "api", "securityContext": {"allowPrivilegeEscalation": True}}]},
        f"{C}.allowPrivilegeEscalation",
        "baseline",
    ),
    (
        {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}},
        "securityContext.sysctls",
        "privileged",
    ),
    (
        {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}},
        "securityContext.appArmorProfile",
        "privileged",
    ),
    (
        {
            "containers": [
                {"name": "api", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}}
            ]
        },
        f"{C}.appArmorProfile",
        "privileged",
    ),
    (
        {"containers": [{"name": "api", "ports": [{"containerPort": 8080, "hostPort": 80}]}]},
        "containers[0].ports[0].hostPort",
        "privileged",
    ),
    ({"volumes": [{"name": "n", "nfs": {"server": "nfs", "path": "/"}}]}, "volumes[1]", "baseline"),
    (
        {"volumes": [{"name": "n", "hostPath": {"path": "/etc"}}]},
        "volumes[1].hostPath",
        "privileged",
    ),
    (
        {"securityContext": {"seLinuxOptions": {"type": "spc_t"}}},
        "securityContext.seLinuxOptions.type",
        "privileged",
    ),
    (
        {"securityContext": {"windowsOptions": {"hostProcess": True}}},
        "securityContext.windowsOptions.hostProcess",
        "privileged",
    ),
    ({"securityContext": {"runAsNonRoot": False}}, "securityContext.runAsNonRoot", "baseline"),
    (
        {"containers": [{"name": "api", "securityContext": {"runAsUser": 0}}]},
        f"{C}.runAsUser",
        "baseline",
    ),
    (
        {
            "containers": [
                {"name": "api", "securityContext": {"capabilities": {"add": ["CAP_SYS_ADMIN"]}}}
            ]
        },
        f"{C}.capabilities.add",
        "privileged",
    ),
    (
        {
            "containers": [
                {"name": "api", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}
            ]
        },
        f"{C}.seccompProfile.type",
        "privileged",
    ),
    ({"hostIPC": True}, "hostIPC", "privileged"),
    ({"securityContext": None}, f"{C}.seccompProfile.type", "baseline"),
    (
        {"containers": [{"name": "api", "securityContext": {"capabilities": {"drop": []}}}]},
        f"{C}.capabilities.drop",
        "baseline",
    ),
    (
        {
            "volumes": [
                {"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}}
            ]
        },
        "volumes[1].projected",
        "restricted",
    ),
    (
        {"containers": [{"name": "api", "securityContext": {"readOnlyRootFilesystem": False}}]},
        f"{C}.readOnlyRootFilesystem",
        "restricted",
    ),
]


@pytest.mark.parametrize(("spec", "field", "level"), ESCALATIONS)
def test_a_patch_that_weakens_the_pod_warns_at_the_patch(
    tmp_path: Path, spec: dict[str, Any], field: str, level: str
) -> None:
    code, err, docs = _build(_patched(tmp_path, spec))
    assert code == 0, err
    assert "app.py:3: warning: tier 'api', patches[0]: weakens " in err
    assert f"(set by this patch: Deployment 'api' spec.template.spec.{field}" in err
    assert _enforced(docs) == level
    strict = run_tiers("validate", "--strict", "app.py", cwd=tmp_path)
    assert strict.returncode == 1


# 15: every integer field in Kubernetes' range, as written and as patched

RANGES = [
    ({"terminationGracePeriodSeconds": 2**63}, "spec.template.spec.terminationGracePeriodSeconds"),
    ({"terminationGracePeriodSeconds": -1}, "spec.template.spec.terminationGracePeriodSeconds"),
    ({"securityContext": {"runAsUser": 2**31}}, "spec.template.spec.securityContext.runAsUser"),
    ({"securityContext": {"supplementalGroups": [-1]}}, "securityContext.supplementalGroups[0]"),
    ({"activeDeadlineSeconds": 0}, "spec.template.spec.activeDeadlineSeconds"),
    ({"priority": 2**31}, "spec.template.spec.priority"),
    (
        {"containers": [{"name": "api", "ports": [{"containerPort": 8080, "hostPort": 70000}]}]},
        "ports[0].hostPort",
    ),
    (
        {
            "volumes": [
                {
                    "name": "t",
                    "projected": {
                        "sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 60}}]
                    },
                }
            ]
        },
        "serviceAccountToken.expirationSeconds",
    ),
    (
        {
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "minDomains": -1,
                    "topologyKey": "z",
                    "whenUnsatisfiable": "DoNotSchedule",
                }
            ]
        },
        "minDomains",
    ),
]


@pytest.mark.parametrize(("spec", "field"), RANGES)
def test_an_integer_a_patch_sets_out_of_range_is_an_error(
    tmp_path: Path, spec: dict[str, Any], field: str
) -> None:
    code, err, _ = _build(_patched(tmp_path, spec))
    assert code == 1, err
    assert "app.py:3: error: tier 'api', patches[0]: " in err and field in err
    assert "Kubernetes accepts" in err or "is not a port number" in err


@pytest.mark.parametrize(
    "fields",
    [
        "replicas=2**31",
        "security=Security(run_as_user=2**31)",
        "probes=Probes(readiness=Probe(period_seconds=2**31))",
    ],
)
def test_a_typed_integer_out_of_range_is_an_error(tmp_path: Path, fields: str) -> None:
    head = "from tiers import Probe, Probes, Security\n"
    code, err, _ = _build(_app(tmp_path, f"Backend('api', image='my-api:1.4.2', {fields})", head))
    assert code == 1 and "more than Kubernetes accepts here: use at most 2,147,483,647" in err


def test_every_int32_field_of_the_emitted_kinds_has_its_range() -> None:
    """The tables of :mod:`tiers.checks.ranges` against the Kubernetes schema."""
    from tiers.checks import ranges

    found = _schema_integers()
    known = ranges.NON_NEGATIVE_INT32 | ranges.INT32_FIELDS | ranges.PORT_FIELDS
    assert found["int32"] - known == set()
    assert set(ranges.FIELD_RANGES) <= found["int64"]
    assert ranges.field_range("replicas") == (0, 2**31 - 1)
    assert ranges.field_range("anythingElse") == (-(2**63), 2**63 - 1)


def _schema_integers() -> dict[str, set[str]]:
    """Integer fields (outside ``status``) of the kinds tiers emits, by format."""
    import kubernetes_validate

    schemas = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
    version = sorted(p.name for p in schemas.iterdir() if p.name.endswith("-local"))[-1]
    definitions = json.loads((schemas / version / "_definitions.json").read_text())["$defs"]
    roots = ["apps.v1.Deployment", "apps.v1.StatefulSet", "apps.v1.DaemonSet", "batch.v1.Job"]
    roots += ["batch.v1.CronJob", "core.v1.Service", "policy.v1.PodDisruptionBudget"]
    roots += ["autoscaling.v2.HorizontalPodAutoscaler", "networking.v1.NetworkPolicy"]
    found: dict[str, set[str]] = {"int32": set(), "int64": set()}

    def walk(schema: Any, name: str, seen: frozenset[str]) -> None:
        if "$ref" in schema:
            ref = schema["$ref"].rpartition("/")[2]
            if ref not in seen:
                walk(definitions[ref], name, seen | {ref})
            return
        if schema.get("format") in found:
            found[schema["format"]].add(name)
        for key, value in schema.get("properties", {}).items():
            if key != "status":
                walk(value, key, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(schema[key], name, seen)
        for key in ("oneOf", "anyOf", "allOf"):
            for value in schema.get(key, []):
                walk(value, name, seen)

    for root in roots:
        walk(definitions[f"io.k8s.api.{root}"], root, frozenset())
    return found


# text that is not UTF-8, and values no walker could finish


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ("env={'X': 'a\\udcffb'}", "env.X"),
        ("env={'\\udcff': 'x'}", "env (a key)"),
        ("command=['\\udcff']", "command[0]"),
        (
            "patches=[Patch('Deployment', {'metadata': {'annotations': {'a\\udcff': 'x'}}})]",
            "patches[0].patch.metadata.annotations (a key)",
        ),
    ],
)
def test_a_string_utf8_cannot_carry_is_an_error_at_its_field(
    tmp_path: Path, fields: str, field: str
) -> None:
    app = _app(tmp_path, f"Backend('api', image='my-api:1.4.2', {fields})")
    for command in (("build", "app.py"), ("build", "app.py", "-o", "out"), ("validate", "app.py")):
        done = run_tiers(*command, cwd=tmp_path)  # the output is UTF-8: surrogates escaped
        said = done.stdout if command[0] == "validate" else done.stderr
        assert done.returncode == 1, said
        assert "Traceback" not in done.stderr
        assert f"app.py:3: error: tier 'api', {field}: holds '\\udcff'" in said
    assert not (tmp_path / "out").exists()
    checked = run_tiers("validate", "--format", "json", str(app), cwd=tmp_path)
    assert "text-invalid" in {d["code"] for d in json.loads(checked.stdout)}


def test_a_template_that_is_not_utf8_is_named_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "t.yaml.j2").write_bytes(
        b'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: "\xff"}\n'
    )
    head = "from pathlib import Path\n"
    code, err, _ = _build(
        _app(
            tmp_path,
            "Backend('api', image='my-api:1.4.2', extra_templates=[Path('t.yaml.j2')])",
            head,
        )
    )
    assert code == 1
    assert "t.yaml.j2:4: error: tier 'api', extra_templates[0]: t.yaml.j2 is not UTF-8 text" in err


def test_diff_and_import_of_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    app = _app(tmp_path, "Backend('api', image='my-api:1.4.2')")
    assert run_tiers("build", str(app), "-o", "out", cwd=tmp_path).returncode == 0
    with (tmp_path / "out" / "api.yaml").open("ab") as handle:
        handle.write(b"\xff\xfe\n")
    done = run_tiers("diff", "app.py", "out", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (tmp_path / "in.yaml").write_bytes(b'kind: ConfigMap\ndata: {a: "\xff"}\n')
    done = run_tiers("import", "in.yaml", "-o", "imported.py", cwd=tmp_path)
    assert done.returncode == 1 and "in.yaml: not UTF-8 text" in done.stderr


SHAPES = [
    (
        "d = {}\nd['self'] = d\n",
        "patches=[Patch('Deployment', {'metadata': {'annotations': d}})]",
        "holds itself",
    ),
    ("l = []\nl.append(l)\n", "command=l", "holds itself"),
    (
        "d = x = {}\nfor _ in range(5000):\n    x['a'] = {}\n    x = x['a']\n",
        "patches=[Patch('Deployment', {'metadata': {'labels': d}})]",
        "is nested more than 100 levels deep",
    ),
    (
        "x = ['lol']\nfor _ in range(12):\n    x = [x] * 10\n",
        "patches=[Patch('Deployment', {'spec': {'x': x}})]",
        "makes more than 1,000,000 values in all",
    ),
]


@pytest.mark.parametrize(("setup", "fields", "said"), SHAPES)
def test_a_value_no_walker_could_finish_is_an_error_at_once(
    tmp_path: Path, setup: str, fields: str, said: str
) -> None:
    app = _app(tmp_path, f"Backend('api', image='my-api:1.4.2', {fields})", setup)
    code, err, _ = _build(app)
    assert code == 1 and said in err and "tier 'api', " in err
    assert len(err.splitlines()) < 5


def test_import_names_the_input_when_its_objects_make_an_invalid_app(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
        "  replicas: 1099511627776\n  selector: {matchLabels: {app: api}}\n"
        "  template:\n    metadata: {labels: {app: api}}\n"
        "    spec: {containers: [{name: api, image: 'my-api:1.4.2'}]}\n"
    )
    done = run_tiers("import", "in.yaml", "-o", "app.py", cwd=tmp_path)
    assert done.returncode == 1 and not (tmp_path / "app.py").exists()
    assert "in.yaml:1: error: tier 'api', replicas: 1099511627776 is more than" in done.stderr


def test_import_of_a_fifo_or_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.yaml")
    for source in ("pipe.yaml", "/dev/null"):
        done = run_tiers("import", source, "-o", "app.py", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert f"{source}: not a regular file or a directory" in done.stderr
