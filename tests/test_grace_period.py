"""``termination_grace_period_seconds``: a typed field of every tier, written
into the pod template of every workload kind, range-checked, and what
``tiers import`` reads back instead of a patch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.conftest import run_tiers
from tiers import App, Backend, CronJob, DaemonSet, Job, MySQL, NotSecret, compile_app
from tiers.errors import ImportFailedError
from tiers.importer import Options, import_sources
from tiers.importer.read import parse

IMAGE = "registry.example.com/shop/worker:1.0.0"


def _pod_specs(app: App) -> dict[str, dict[str, Any]]:
    """Each workload's pod spec, by kind, every object schema-checked on the way."""
    found = {}
    for rendered in compile_app(app).objects:
        kubernetes_validate.validate(rendered.manifest, "1.30.0", strict=True)
        spec = rendered.manifest.get("spec", {})
        if rendered.kind == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            found[rendered.kind] = spec["template"]["spec"]
    return found


def test_every_workload_kind_writes_it_in_its_pod_template() -> None:
    app = App("shop")
    app.add(Backend("api", image=IMAGE, termination_grace_period_seconds=60))
    app.add(
        MySQL(
            "db",
            env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
            termination_grace_period_seconds=120,
        )
    )
    app.add(Job("migrate", image=IMAGE, termination_grace_period_seconds=0))
    app.add(
        CronJob("report", image=IMAGE, schedule="0 2 * * *", termination_grace_period_seconds=5)
    )
    app.add(DaemonSet("agent", image=IMAGE, termination_grace_period_seconds=10))
    specs = _pod_specs(app)
    assert {kind: spec["terminationGracePeriodSeconds"] for kind, spec in specs.items()} == {
        "Deployment": 60,
        "StatefulSet": 120,
        "Job": 0,
        "CronJob": 5,
        "DaemonSet": 10,
    }


def test_without_it_kubernetes_decides() -> None:
    app = App("shop")
    app.add(Backend("api", image=IMAGE))
    assert "terminationGracePeriodSeconds" not in _pod_specs(app)["Deployment"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("-1", "termination_grace_period_seconds: -1 is less than Kubernetes accepts here: "
         "use at least 0"),
        ("2**63", "termination_grace_period_seconds: 9223372036854775808 is more than "
         "Kubernetes accepts here: use at most 9,223,372,036,854,775,807"),
        ("'30'", "termination_grace_period_seconds"),
    ],
)  # fmt: skip
def test_a_bad_value_is_an_error_at_its_line_with_the_fix(
    tmp_path: Path, value: str, said: str
) -> None:
    (tmp_path / "app.py").write_text(
        "from tiers import App, MySQL, NotSecret\n"
        "app = App('shop')\n"
        "app.add(MySQL('db', env={'MYSQL_RANDOM_ROOT_PASSWORD': NotSecret('yes')},\n"
        f"    termination_grace_period_seconds={value}))\n",
        encoding="utf-8",
    )
    done = run_tiers("validate", "app.py", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "app.py:3: error: tier 'db', " in done.stdout, done.stdout
    assert said in done.stdout, done.stdout


def _deployment(grace: object) -> str:
    pod: dict[str, Any] = {"containers": [{"name": "api", "image": IMAGE}]}
    pod["terminationGracePeriodSeconds"] = grace
    workload = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api"},
        "spec": {
            "selector": {"matchLabels": {"app": "api"}},
            "template": {"metadata": {"labels": {"app": "api"}}, "spec": pod},
        },
    }
    return yaml.safe_dump(workload, sort_keys=False)


def test_import_reads_it_as_the_field_not_a_patch() -> None:
    code = import_sources(parse(_deployment(5), "in.yaml"), Options(name="shop")).code
    assert "termination_grace_period_seconds=5," in code
    assert "Patch(" not in code and "terminationGracePeriodSeconds" not in code


def test_import_of_a_cronjob_reads_it_under_the_job_template() -> None:
    app = App("shop")
    app.add(
        CronJob("report", image=IMAGE, schedule="0 2 * * *", termination_grace_period_seconds=7)
    )
    text = "---\n".join(yaml.safe_dump(o.manifest) for o in compile_app(app).objects)
    code = import_sources(parse(text, "in.yaml"), Options(name="shop")).code
    assert "termination_grace_period_seconds=7," in code and "Patch(" not in code


def test_import_of_a_value_kubernetes_refuses_says_so_at_the_input() -> None:
    """Not typed (the model would refuse it): the patch keeps it, and the build
    of the import names the input and the field."""
    with pytest.raises(ImportFailedError) as raised:
        import_sources(parse(_deployment(-1), "in.yaml"), Options(name="shop"))
    (problem,) = raised.value.problems
    assert problem.startswith("in.yaml:1: error: tier 'api', ")
    assert "terminationGracePeriodSeconds" in problem and "-1" in problem
