"""``tiers import``: kinds, references, warnings and the command line."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import ROOT
from tiers.cli import main
from tiers.errors import ImportInputError
from tiers.importer import Imported, Options, import_sources
from tiers.importer.read import parse


def deployment(
    name: str,
    image: str = "example/app:1.0",
    *,
    ports: tuple[int, ...] = (8080,),
    env: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    namespace: str | None = None,
    pod_labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": image}
    if ports:
        container["ports"] = [{"containerPort": p} for p in ports]
    if env:
        container["env"] = [{"name": k, "value": v} for k, v in env.items()]
    metadata: dict[str, Any] = {"name": name, "labels": labels or {"app": name}}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": pod_labels or {"app": name}},
                "spec": {"containers": [container]},
            },
        },
    }


def service(
    name: str, app: str, ports: list[dict[str, Any]], namespace: str | None = None, **spec: Any
) -> dict[str, Any]:
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": {"selector": {"app": app}, "ports": ports, **spec},
    }


def imported(*objects: dict[str, Any]) -> Imported:
    text = yaml.safe_dump_all(objects, sort_keys=False)
    return import_sources(parse(text, "in.yaml"), Options(name="t"))


def warnings(result: Imported) -> list[str]:
    return [str(w) for w in result.warnings]


# Kinds: only on evidence, never from a name.


@pytest.mark.parametrize(
    ("image", "port", "kind"),
    [
        ("mysql:8.4.3", 3306, "MySQL"),
        ("docker.io/library/mysql@sha256:" + "0123" * 16, 3306, "MySQL"),
        ("mysql:8.4.3", 3307, "Tier"),
        ("example.com/mysql:8.4.3", 3306, "Tier"),
        ("mariadb:11", 3306, "MariaDB"),  # its own kind, from tiers.model.images
    ],
)
def test_mysql_only_for_the_official_image_on_3306(image: str, port: int, kind: str) -> None:
    env = {"MYSQL_RANDOM_ROOT_PASSWORD": "yes"}
    code = imported(deployment("db", image, ports=(port,), env=env)).code
    assert f"db = app.add(\n    {kind}(" in code or f"db = app.add({kind}(" in code


def test_a_mysql_without_a_root_password_stays_a_general_tier() -> None:
    """The image would not start; the MySQL kind requires one, so the tier stays general."""
    code = imported(deployment("db", "mysql:8.4.3", ports=(3306,))).code
    assert "MySQL(" not in code and "Tier(" in code


def test_names_alone_make_neither_frontend_nor_backend() -> None:
    code = imported(deployment("frontend"), deployment("backend")).code
    assert "Frontend(" not in code and "Backend(" not in code
    assert code.count("app.add(Tier(") + code.count("app.add(\n    Tier(") == 2


def test_the_component_label_makes_frontend_and_backend() -> None:
    web = deployment("web", labels={"app": "web", "app.kubernetes.io/component": "frontend"})
    api = deployment("api", labels={"app": "api", "app.kubernetes.io/component": "backend"})
    code = imported(web, api).code
    assert "Frontend(" in code and "Backend(" in code
    assert "component=" not in code and "app.kubernetes.io/component" not in code


# References: every form of a Service's name, with or without a port.

DB = [
    deployment("db", "postgres:16", ports=(5432,), namespace="data"),
    service("db", "db", [{"port": 5432}], namespace="data"),
    service("db-peers", "db", [{"port": 5432}], namespace="data", clusterIP="None"),
]
API = [
    deployment("api", ports=(8080,), namespace="data"),
    service("api", "api", [{"name": "http", "port": 80, "targetPort": 8080}], namespace="data"),
]


@pytest.mark.parametrize(
    ("namespace", "value", "code"),
    [
        ("data", "db", "db.host"),
        ("data", "db.data", 'db.dns_name("namespace")'),
        ("data", "db.data.svc", 'db.dns_name("svc")'),
        ("data", "db.data.svc.cluster.local", 'db.dns_name("fqdn")'),
        ("web", "db.data.svc.cluster.local", "db.host"),
        ("web", "db.data", 'db.dns_name("namespace")'),
        ("data", "db-peers", 'db.endpoint("db-peers").host'),
        ("data", "http://api", "api.url()"),
        ("data", "http://api:80/v1", "'http://api:80/v1'"),
        ("data", "http://api/v1", 'api.url(path="/v1")'),
        ("data", "postgres://db:5432/shop", 'db.url(scheme="postgres", port=5432, path="/shop")'),
        ("web", "http://api.data.svc.cluster.local/", 'api.url(path="/")'),
        ("data", "http://api:8080", "'http://api:8080'"),
        ("web", "db", "'db'"),
        ("data", "other", "'other'"),
        ("data", "https://example.com", "'https://example.com'"),
    ],
)
def test_env_values_naming_a_service_become_references(
    namespace: str, value: str, code: str
) -> None:
    user = deployment("user", namespace=namespace, env={"TARGET": value})
    written = imported(*DB, *API, user).code
    expected = code.replace("'", '"')
    assert f'env={{"TARGET": {expected}}}' in written


def test_a_port_next_to_a_host_becomes_a_port_reference() -> None:
    user = deployment(
        "user",
        namespace="data",
        env={"DB_HOST": "db", "DB_PORT": "5432", "API_HOST": "api", "API_PORT": "8080"},
    )
    code = imported(*DB, *API, user).code
    assert '"DB_PORT": db.port_ref()' in code
    assert '"API_PORT": "8080"' in code  # 8080 is the target port, not a Service port


def test_references_come_after_the_tier_they_name() -> None:
    user = deployment("aaa-user", namespace="data", env={"DB": "db"})
    code = imported(user, *DB).code
    assert code.index("db = app.add") < code.index("aaa_user = app.add")


def test_a_cycle_keeps_one_value_literal() -> None:
    one = deployment("one", env={"PEER": "two"})
    two = deployment("two", env={"PEER": "one"})
    services = [service(n, n, [{"port": 8080}]) for n in ("one", "two")]
    code = imported(one, two, *services).code
    assert '"PEER": "two"' in code and '"PEER": one.host' in code


def test_env_order_is_kept_when_a_value_refers_to_another() -> None:
    app = deployment("app", env={"A": "1"})
    env = app["spec"]["template"]["spec"]["containers"][0]["env"]
    env += [
        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        {"name": "URL", "value": "mysql://root:$(PASSWORD)@db"},
    ]
    bare = {"name": "RAW", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
    env.insert(1, bare)
    code = imported(app).code
    assert 'env={"A": "1"}' in code
    assert code.index('"name": "RAW"') < code.index('"name": "PASSWORD"')
    assert code.index('"name": "PASSWORD"') < code.index('"name": "URL"')


# Warnings: one per object left out, naming it.


def test_every_object_left_out_is_named_once() -> None:
    result = imported(
        deployment("a"),
        deployment("b", pod_labels={"app": "b", "role": "x"}),
        service("both", "a", [{"port": 80}]) | {"spec": {"selector": {}, "ports": [{"port": 80}]}},
        service("none", "zzz", [{"port": 80}]),
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {}},
        service("ext", "a", [{"port": 80}], type="ExternalName", externalName="x.example.com"),
        service("a-side", "a", [{"port": 80, "targetPort": "metrics"}]),
        deployment("a", "other/image:2.0"),
    )
    assert warnings(result) == [
        "in.yaml:44: Service 'both': it has no selector (its endpoints are managed elsewhere);"
        " not imported",
        "in.yaml:53: Service 'none': its selector matches the pods of no imported workload;"
        " not imported",
        "in.yaml:63: ConfigMap 'cfg': tiers does not import ConfigMap objects; not imported."
        " Keep it in its own file beside the YAML tiers writes",
        "in.yaml:69: Service 'ext': tiers does not make Services of type ExternalName;"
        " not imported",
        "in.yaml:81: Service 'a-side': its targetPort 'metrics' is not a named port of a"
        " container of the pods; not imported",
        "in.yaml:92: Deployment 'a': defined twice; this copy was not imported",
    ]
    assert "# - in.yaml:53: Service 'none': its selector matches the pods of no" in result.code


def test_a_service_over_two_workloads_and_overlapping_selectors_are_warned() -> None:
    shared = {"tier": "x"}
    one = deployment("one", pod_labels={"app": "one", "group": "g"})
    two = deployment("two", pod_labels={"app": "two", "group": "g"})
    both = service("both", "g", [{"port": 80}]) | {
        "spec": {"selector": {"group": "g"}, "ports": [{"port": 80, "targetPort": 8080}]}
    }
    greedy = deployment("greedy", pod_labels=shared)
    greedy["spec"]["selector"]["matchLabels"] = shared
    caught = deployment("caught", pod_labels={"app": "caught", **shared})
    found = warnings(imported(one, two, both, greedy, caught))
    assert any(
        "Service 'both': its selector matches the pods of several workloads "
        "(tiers 'one', 'two'), and a tier's Service selects its own pods only: keep it "
        "in its own file beside the YAML tiers writes and apply it with the app"
        in w
        and "admit the app's pods on port(s) 8080" in w
        for w in found
    )
    assert any(
        "Deployment 'greedy': its selector also matches the pods of Deployment 'caught'" in w
        for w in found
    )


def test_two_services_giving_one_port_name_two_meanings_are_warned() -> None:
    app = deployment("app", ports=(8080, 9090))
    first = service("app", "app", [{"name": "http", "port": 80, "targetPort": 8080}])
    second = service("app-alt", "app", [{"name": "http", "port": 80, "targetPort": 9090}])
    result = imported(app, first, second)
    assert warnings(result) == [
        "in.yaml:35: Service 'app-alt': its port 'http' targets another container port than "
        "port 'http' of Service 'app', which selects the same pods; not imported"
    ]


def test_server_fields_are_left_out_with_a_warning() -> None:
    app = deployment("app")
    app["metadata"] |= {"uid": "1234", "resourceVersion": "9", "creationTimestamp": None}
    app["status"] = {"replicas": 1}
    assert warnings(imported(app)) == [
        "in.yaml:1: Deployment 'app': left out fields the API server sets: status, "
        "metadata.resourceVersion, metadata.uid"
    ]


# The command line.


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n")
    result = CliRunner().invoke(main, ["import", str(bad), "-o", str(tmp_path / "app.py")])
    assert result.exit_code == 1
    assert f"tiers: error: {bad}:5: not valid YAML" in result.output
    assert not (tmp_path / "app.py").exists()
    with pytest.raises(ImportInputError, match=r"^x.yaml:2: not valid YAML"):
        parse("a: 1\n b: 2\n", "x.yaml")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "app.py"
    assert runner.invoke(main, ["import", "-o", str(out)]).exit_code == 2
    assert (
        runner.invoke(main, ["import", str(tmp_path / "nope.yaml"), "-o", str(out)]).exit_code == 2
    )
    assert runner.invoke(main, ["import", str(tmp_path)]).exit_code == 2
    out.write_text("# mine\n")
    refused = runner.invoke(main, ["import", str(tmp_path), "-o", str(out)])
    assert refused.exit_code == 2
    assert "app.py exists; use --force to overwrite it" in refused.output
    assert out.read_text() == "# mine\n"


def test_force_overwrites_and_stdin_is_read(tmp_path: Path) -> None:
    out = tmp_path / "web_shop.py"
    out.write_text("# old\n")
    text = yaml.safe_dump_all([deployment("web"), service("web", "web", [{"port": 8080}])])
    result = CliRunner().invoke(main, ["import", "-", "-o", str(out), "--force"], input=text)
    assert result.exit_code == 0, result.output
    code = out.read_text()
    assert 'app = App("web-shop", namespace="default", create_namespace=False)' in code
    assert 'web = app.add(\n    Tier(\n        "web",\n        image="example/app:1.0",' in code
    assert 'service_name="web",' in code


def test_stdout_output(tmp_path: Path) -> None:
    text = yaml.safe_dump(deployment("web"))
    result = CliRunner().invoke(main, ["import", "-", "-o", "-", "--name", "x"], input=text)
    assert result.exit_code == 0
    assert result.output.startswith('"""The tiers of app \'x\', imported from stdin by')


def test_the_readme_shows_what_the_seed_imports_into(seed_dir: Path) -> None:
    section = (ROOT / "docs" / "import.md").read_text()
    shown = section.split("```python\n", 1)[1].split("```", 1)[0]
    seed = seed_dir / "multi-tier.yaml"
    args = ["import", str(seed), "--name", "shop", "--namespace", "shop", "-o", "-"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split("\n\n", 1)[0].split())
    assert text.startswith(f'"""The tiers of app \'shop\', imported from {seed} by')
    comment = " ".join(result.stdout.split("\n\n")[1].replace("#", " ").split())
    shown_comment = " ".join(shown.split("\n\n")[1].replace("#", " ").split())
    assert comment == shown_comment.replace("tests/data/seed/multi-tier.yaml", str(seed))
    code = "from tiers import" + result.stdout.split("\nfrom tiers import", 1)[1]
    readme_code = "from tiers import" + shown.split("\nfrom tiers import", 1)[1]
    # the README's code blocks are formatted at the project's line length
    assert ast.dump(ast.parse(code)) == ast.dump(ast.parse(readme_code))


UNIMPORTED = {
    "full": 8,  # ConfigMaps, an Ingress, an HTTPRoute, an HPA, ServiceAccounts, ...
    "ingress": 2,  # an Ingress and an HPA
    "servers": 1,  # an Ingress
}
"""Examples whose output holds kinds ``tiers import`` does not read, and how many."""


def _import_and_build(runner: CliRunner, yaml_text: str, work: Path, name: str) -> tuple[str, str]:
    (work / f"{name}.yaml").write_text(yaml_text)
    out = work / f"{name}.py"
    imported = runner.invoke(main, ["import", str(work / f"{name}.yaml"), "-o", str(out)])
    assert imported.exit_code == 0, imported.output
    built = runner.invoke(main, ["build", str(out)])
    assert built.exit_code == 0, built.output
    return imported.output, built.stdout


@pytest.mark.parametrize("example", sorted(p.stem for p in (ROOT / "examples").glob("*.py")))
def test_tiers_own_output_imports_back_into_the_same_yaml(example: str, tmp_path: Path) -> None:
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(ROOT / "examples" / f"{example}.py")])
    assert built.exit_code == 0, built.output
    first, output = _import_and_build(runner, built.stdout, tmp_path, "first")
    second, again = _import_and_build(runner, output, tmp_path, "second")
    assert again == output  # import -> build is idempotent
    assert "0 warning(s)" in second
    assert f"{UNIMPORTED.get(example, 0)} warning(s)" in first
    if example not in UNIMPORTED:
        assert output == built.stdout
    if example == "scale":
        code = (tmp_path / "first.py").read_text()
        assert 'mysql_0 = app.add(\n    MySQL(\n        "mysql-0",\n        env={' in code
        assert "patches=" not in code and "services=" not in code and "stateful=" not in code


def test_objects_without_a_namespace_are_in_the_apps_namespace() -> None:
    shop = deployment("api", namespace="shop")
    bare = service("api", "api", [{"port": 8080}])
    other = deployment("cron", namespace="ops")
    stray = service("cron", "cron", [{"port": 8080}])
    result = imported(shop, deployment("web", namespace="shop"), bare, other, stray)
    # no Namespace object in the input: the namespace exists, tiers makes none
    assert 'app = App("t", namespace="shop", create_namespace=False)' in result.code
    assert [w for w in warnings(result) if "no env value" not in w] == [
        "in.yaml:77: Service 'cron': its selector matches the pods of no imported workload;"
        " not imported"
    ]
    assert 'namespace="ops"' in result.code


def test_workloads_of_one_name_become_tiers_of_different_names() -> None:
    statefulset = deployment("x", namespace="a", pod_labels={"app": "x", "kind": "sts"})
    statefulset["kind"] = "StatefulSet"
    statefulset["spec"]["selector"]["matchLabels"] = {"app": "x", "kind": "sts"}
    plain = deployment("x", namespace="a", pod_labels={"app": "x", "kind": "deploy"})
    plain["spec"]["selector"]["matchLabels"] = {"app": "x", "kind": "deploy"}
    code = imported(plain, statefulset, deployment("x", namespace="b")).code
    assert all(f'"{name}",' in code for name in ("x-a", "x-a-2", "x-b"))
    assert code.count('workload_name="x"') == 3


def test_an_object_the_app_makes_anyway_is_not_warned_about() -> None:
    copy = deployment("a")
    result = imported(deployment("a"), copy)
    assert warnings(result) == []


def test_the_app_namespace_does_not_depend_on_the_order_of_the_inputs() -> None:
    """Equally common namespaces: the first by name, whichever comes first."""
    shop = deployment("web", namespace="shop")
    data = deployment("db", namespace="data")
    for result in (imported(shop, data), imported(data, shop)):
        app_line = result.code.split("App(", 1)[1].split(")", 1)[0]
        assert 'namespace="data"' in app_line, app_line
