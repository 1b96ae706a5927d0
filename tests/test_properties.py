"""Property tests over random apps.

Every valid app compiles to documents that pass ``kubernetes-validate --strict``,
whose Services select the pods of their own tier (and no other) and whose
targetPorts resolve to container ports. Random invalid values give
diagnostics, never an unhandled exception; and whatever the input, tiers
either reports an error or writes documents that pass the schema.
"""

from __future__ import annotations

import functools
import string
from typing import Any

import jsonschema
import kubernetes_validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kubernetes_validate.utils import schema_contents
from referencing import Registry, Resource

from tiers import (
    App,
    Backend,
    ExternalService,
    Frontend,
    MySQL,
    NotSecret,
    Port,
    Service,
    ServicePort,
    Tier,
)
from tiers.compiler import compile_app, validate
from tiers.render.templates import Manifest

VERSION = kubernetes_validate.latest_version()
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@functools.cache
def _validator(kind: str, api_version: str) -> jsonschema.Draft202012Validator:
    """The strict schema of ``kind`` from kubernetes-validate's own files, loaded once
    (``kubernetes_validate.validate`` reloads the definitions on every call)."""
    folder = f"kubernetes-json-schema/v{VERSION}-local-strict"
    group, _, version = api_version.rpartition("/")
    name = "-".join(part for part in (kind.lower(), group.split(".")[0], version) if part)
    schema = schema_contents(f"{folder}/{name}.json", VERSION)
    definitions = schema_contents(f"{folder}/_definitions.json", VERSION)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def assert_valid_kubernetes(manifest: Manifest) -> None:
    _validator(manifest["kind"], manifest["apiVersion"]).validate(manifest)


def test_the_cached_validator_agrees_with_kubernetes_validate() -> None:
    app = App("shop")
    app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    for obj in compile_app(app).objects:
        assert_valid_kubernetes(obj.manifest)
        kubernetes_validate.validate(obj.manifest, VERSION, strict=True)
    broken = {**compile_app(app).objects[0].manifest, "spec": {"replicas": "one"}}
    for check in (
        assert_valid_kubernetes,
        lambda m: kubernetes_validate.validate(m, VERSION, strict=True),
    ):
        try:
            check(broken)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError):
            continue
        raise AssertionError("a Deployment with replicas: 'one' passed the schema")


LABEL = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
PORT_NAME = st.from_regex(r"[a-z]{1,3}(-[a-z0-9]{1,4})?", fullmatch=True)
ENV_NAME = st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True)
LITERAL = st.text(alphabet=string.printable, max_size=12).filter(lambda s: "$(" not in s)
SERVICE = st.sampled_from(["ClusterIP", "Headless", "NodePort", "LoadBalancer", "None"])


@st.composite
def container_ports(draw: st.DrawFn) -> list[Port | int]:
    numbers = draw(st.lists(st.integers(1, 65535), min_size=1, max_size=3, unique=True))
    names = draw(st.lists(PORT_NAME, min_size=len(numbers), max_size=len(numbers), unique=True))
    named = draw(st.booleans())
    return [Port(n, name) if named else n for n, name in zip(numbers, names, strict=True)]


@st.composite
def valid_apps(draw: st.DrawFn) -> App:
    app = App(draw(LABEL))
    names = draw(st.lists(LABEL, min_size=1, max_size=5, unique=True))
    reachable: list[Tier] = []
    for name in names:
        tier = draw(_tier(name, reachable))
        app.add(tier)
        if tier.service != "None" or tier.services:
            reachable.append(tier)
    return app


@st.composite
def _tier(draw: st.DrawFn, name: str, reachable: list[Tier]) -> Tier:
    env: dict[str, Any] = draw(st.dictionaries(ENV_NAME, LITERAL, max_size=3))
    for target in draw(st.lists(st.sampled_from(reachable), max_size=2)) if reachable else []:
        env[f"REF_{len(env)}"] = draw(
            st.sampled_from([target.host, target.port_ref(), target.url(path="/x")])
        )
    replicas = draw(st.integers(0, 5))
    kind = draw(st.sampled_from(["Tier", "Backend", "Frontend", "MySQL", "Services"]))
    if kind == "MySQL":
        return MySQL(
            name, replicas=replicas, env={**env, "MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}
        )
    if kind == "Frontend":
        return Frontend(name, replicas=replicas, env=env, service=draw(SERVICE))
    if kind == "Backend":
        return Backend(name, image="api:1.0", replicas=replicas, env=env)
    ports = draw(container_ports())
    if kind == "Services":
        return Tier(name, image="app:1.0", ports=ports, env=env, services=_services(name, ports))
    return Tier(
        name, image="app:1.0", ports=ports, replicas=replicas, service=draw(SERVICE), env=env
    )


def _services(name: str, ports: list[Port | int]) -> list[Service]:
    numbers = [p if isinstance(p, int) else p.number for p in ports]
    service_ports = [
        ServicePort(1000 + i, name=f"p{i}", target_port=n) for i, n in enumerate(numbers)
    ]
    return [Service(f"{name}-svc", ports=service_ports), Service(f"{name}-peers", headless=True)]


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _check_services(manifests: list[Manifest]) -> None:
    pods = [m for m in manifests if m["kind"] in ("Deployment", "StatefulSet")]
    for service in (m for m in manifests if m["kind"] == "Service"):
        tier = service["metadata"]["labels"]["app.kubernetes.io/name"]
        selected = [
            p["metadata"]["labels"]["app.kubernetes.io/name"]
            for p in pods
            if _selects(service["spec"]["selector"], p["spec"]["template"]["metadata"]["labels"])
        ]
        assert selected == [tier]
        own = next(p for p in pods if p["metadata"]["labels"]["app.kubernetes.io/name"] == tier)
        container_ports = own["spec"]["template"]["spec"]["containers"][0].get("ports", [])
        targets = {p["containerPort"] for p in container_ports}
        targets |= {p["name"] for p in container_ports if "name" in p}
        for port in service["spec"].get("ports", []):
            assert port["targetPort"] in targets


@SETTINGS
@given(valid_apps())
def test_valid_apps_compile_to_valid_kubernetes(app: App) -> None:
    _, diagnostics = validate(app)
    assert [d for d in diagnostics if d.severity == "error"] == []
    manifests = [o.manifest for o in compile_app(app).objects]
    for manifest in manifests:
        assert_valid_kubernetes(manifest)
    _check_services(manifests)


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True),
    st.text(max_size=80),
    st.lists(st.integers(-5, 70000), max_size=3),
    st.dictionaries(st.text(max_size=70), st.text(max_size=70), max_size=3),
)
TIER_FIELDS = [
    "name",
    "image",
    "replicas",
    "ports",
    "port",
    "target_port",
    "service",
    "service_name",
    "workload_name",
    "container_name",
    "namespace",
    "selector",
    "labels",
    "annotations",
    "env",
    "component",
    "command",
]


@SETTINGS
@given(valid_apps(), st.sampled_from(TIER_FIELDS), ANY_VALUE)
def test_any_value_gives_diagnostics_or_valid_kubernetes(
    app: App, field: str, value: object
) -> None:
    fields = {"name": "extra-tier", "image": "app:1.0", "ports": [8080], field: value}
    app.add(Tier(**fields))  # type: ignore[arg-type]
    _, diagnostics = validate(app)
    if any(d.severity == "error" for d in diagnostics):
        assert all(str(d) and d.message and d.location.line > 0 for d in diagnostics)
        return
    manifests = [o.manifest for o in compile_app(app).objects]
    for manifest in manifests:
        assert_valid_kubernetes(manifest)


INVALID = {
    "name": st.sampled_from(["", "Web", "web_app", "-web", "web-", "a" * 64, "web.app"]),
    "replicas": st.integers(max_value=-1),
    "ports": st.lists(st.integers(65536, 10**6) | st.integers(-(10**6), 0), min_size=1),
    "labels": st.dictionaries(st.just("k"), st.text(min_size=64), min_size=1),
    "env": st.dictionaries(st.from_regex(r"[0-9-][A-Z-]{0,5}", fullmatch=True), st.just("x")),
    "namespace": st.sampled_from(["Prod", "a.b", "x" * 64]),
    "image": st.sampled_from(["", " ", "a b"]),
    "port": st.integers(65536, 10**6),
}


@SETTINGS
@given(valid_apps(), st.sampled_from(sorted(INVALID)), st.data())
def test_invalid_values_give_errors(app: App, field: str, data: st.DataObject) -> None:
    value = data.draw(INVALID[field])
    if field == "env" and not value:
        value = {"1X": "x"}
    fields = {"name": "extra-tier", "image": "app:1.0", "ports": [8080], field: value}
    app.add(Tier(**fields))  # type: ignore[arg-type]
    _, diagnostics = validate(app)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert errors
    assert all(d.location.line > 0 for d in errors)


@SETTINGS
@given(st.sampled_from(["name", "namespace", "ports"]), ANY_VALUE)
def test_any_external_service_value_gives_diagnostics_or_valid_kubernetes(
    field: str, value: object
) -> None:
    fields = {"name": "ldap", "namespace": "identity", "ports": [389], field: value}
    app = App("shop")
    ldap = app.add(ExternalService(**fields))  # type: ignore[arg-type]
    app.add(Backend("api", image="api:1.0", env={"LDAP": ldap.url(scheme="ldap")}))
    _, diagnostics = validate(app)
    if not any(d.severity == "error" for d in diagnostics):
        for obj in compile_app(app).objects:
            assert_valid_kubernetes(obj.manifest)
