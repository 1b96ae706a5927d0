"""References between tiers resolve into the env values Kubernetes needs, and
wrong references are errors that name both tiers."""

from __future__ import annotations

import os
import sys

import pytest

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
    manifests,
)
from tiers.compiler import compile_app
from tiers.errors import InvalidAppError
from tiers.model.app import EnvValue

HERE = os.path.relpath(__file__)


def env_of(app: App, workload: str) -> dict[str, str]:
    """The env vars of ``workload``'s first container, as built."""
    for doc in manifests(app):
        if doc["kind"] in ("Deployment", "StatefulSet") and doc["metadata"]["name"] == workload:
            container = doc["spec"]["template"]["spec"]["containers"][0]
            return {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
    raise AssertionError(f"no workload {workload}")


def client(app: App, **env: EnvValue) -> dict[str, str]:
    """Add a tier holding ``env`` to ``app`` and return its resolved env."""
    app.add(Tier("client", image="busybox:1.36.1", service="None", env=env))
    return env_of(app, "client")


def line() -> int:
    """The caller's line."""
    return sys._getframe(1).f_lineno


def errors(app: App) -> list[str]:
    with pytest.raises(InvalidAppError) as caught:
        compile_app(app)
    return [str(d) for d in caught.value.diagnostics if d.severity == "error"]


def test_a_host_in_the_same_namespace_is_the_short_service_name() -> None:
    app = App("shop")
    db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    assert client(app, DB_HOST=db.host) == {"DB_HOST": "mysql-service"}


def test_a_host_in_another_namespace_is_a_fqdn() -> None:
    app = App("shop")
    db = app.add(
        MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, namespace="data")
    )
    env = client(app, DB_HOST=db.host, DB_URL=db.url(scheme="mysql"))
    assert env == {
        "DB_HOST": "mysql-service.data.svc.cluster.local",
        "DB_URL": "mysql://mysql-service.data.svc.cluster.local:3306",
    }


def test_the_fqdn_uses_the_apps_cluster_domain() -> None:
    app = App("shop", namespace="shop", cluster_domain="corp.example")
    api = app.add(Backend("backend", image="my-backend:1.4.2", namespace="api"))
    assert client(app, API=api.url()) == {"API": "http://backend-service.api.svc.corp.example"}


def test_a_tier_in_its_own_namespace_reaches_the_apps_namespace_by_fqdn() -> None:
    app = App("shop", namespace="shop")
    db = app.add(MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}))
    job = Tier(
        "job", image="busybox:1.36.1", namespace="batch", service="None", env={"DB": db.host}
    )
    app.add(job)
    assert env_of(app, "job") == {"DB": "mysql-service.shop.svc.cluster.local"}


def web_ports() -> Tier:
    return Tier(
        "web",
        image="nginx:1.27.3",
        ports=[Port(8080, "http"), Port(8443, "https"), Port(9090, "metrics")],
        services=[
            Service(
                "web-service",
                ports=[
                    ServicePort(80, name="http", target_port="http"),
                    ServicePort(443, name="https", target_port="https"),
                    ServicePort(8080, name="alt", target_port="http"),
                    ServicePort(9000, name="metrics", target_port=9090),
                ],
            )
        ],
    )


def test_urls_leave_out_the_schemes_default_port() -> None:
    app = App("shop")
    web = app.add(web_ports())
    env = client(
        app,
        HTTP=web.url(),
        HTTPS=web.url(scheme="https", port="https"),
        ALT=web.url(port=8080),
        HTTPS_ON_80=web.url(scheme="https", port=80),
        HTTP_ON_443=web.url(port=443),
        METRICS=web.url(port="metrics", path="/metrics"),
        NO_SLASH=web.url(path="api/v1"),
    )
    assert env == {
        "HTTP": "http://web-service",
        "HTTPS": "https://web-service",
        "ALT": "http://web-service:8080",
        "HTTPS_ON_80": "https://web-service:80",
        "HTTP_ON_443": "http://web-service:443",
        "METRICS": "http://web-service:9000/metrics",
        "NO_SLASH": "http://web-service/api/v1",
    }


def test_a_backend_on_8080_keeps_its_port_in_the_url() -> None:
    app = App("shop")
    api = app.add(Backend("backend", image="my-backend:1.4.2", port=8080))
    assert client(app, API_URL=api.url()) == {"API_URL": "http://backend-service:8080"}


def test_port_refs_by_name_by_number_and_by_default() -> None:
    app = App("shop")
    web = app.add(web_ports())
    env = client(
        app, FIRST=web.port_ref(), BY_NAME=web.port_ref("metrics"), BY_NUMBER=web.port_ref(443)
    )
    assert env == {"FIRST": "80", "BY_NAME": "9000", "BY_NUMBER": "443"}


def two_service_db() -> MySQL:
    return MySQL(
        "db",
        env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
        services=[
            Service("db", ports=[ServicePort(3306, name="mysql", target_port="mysql")]),
            Service("db-peers", headless=True, ports=[ServicePort(3306, name="mysql")]),
        ],
    )


def test_endpoint_picks_another_service_of_the_tier() -> None:
    app = App("shop")
    db = app.add(two_service_db())
    peers = db.endpoint("db-peers")
    env = client(
        app,
        FIRST=db.host,
        PEERS=peers.host,
        PEERS_URL=peers.url(scheme="mysql"),
        PEERS_PORT=peers.port_ref("mysql"),
    )
    assert env == {
        "FIRST": "db",
        "PEERS": "db-peers",
        "PEERS_URL": "mysql://db-peers:3306",
        "PEERS_PORT": "3306",
    }


def test_external_services_are_referenced_like_tiers() -> None:
    app = App("shop")
    ldap = app.add(ExternalService("ldap", namespace="identity", ports=[389]))
    cache = app.add(
        ExternalService("cache", namespace="shop", ports=[ServicePort(6379, name="redis")])
    )
    env = client(
        app,
        LDAP=ldap.url(scheme="ldap"),
        LDAP_HOST=ldap.host,
        CACHE=cache.url(scheme="redis", port="redis"),
    )
    assert env == {
        "LDAP": "ldap://ldap.identity.svc.cluster.local:389",
        "LDAP_HOST": "ldap.identity.svc.cluster.local",
        "CACHE": "redis://cache:6379",
    }


def test_literal_strings_stay_as_written() -> None:
    app = App("shop")
    assert client(app, LOG_LEVEL="debug", DB_HOST="mysql-service") == {
        "LOG_LEVEL": "debug",
        "DB_HOST": "mysql-service",
    }


def test_a_reference_to_a_tier_without_a_service_names_both_tiers() -> None:
    app = App("shop")
    api = app.add(Backend("api", image="my-api:1.0.0", service="None"))
    web, at = app.add(Frontend("web", env={"API_URL": api.url()})), line()
    assert web.name == "web"
    assert errors(app) == [
        f"{HERE}:{at}: error: tier 'web', env.API_URL: references tier 'api', which has no "
        "Service. Give tier 'api' a Service (drop service=\"None\", or set services=[...])"
    ]


def test_a_reference_to_a_port_the_tier_does_not_expose_names_both_tiers() -> None:
    app = App("shop")
    api = app.add(Backend("api", image="my-api:1.0.0"))
    web, at = app.add(Frontend("web", env={"API_URL": api.url(port=8080)})), line()
    assert web.name == "web"
    assert errors(app) == [
        f"{HERE}:{at}: error: tier 'web', env.API_URL: tier 'api' exposes no port 8080 on "
        "Service 'api-service' (Service ports: 80). Did you mean 80?"
    ]


def test_a_reference_to_a_port_name_the_tier_does_not_expose() -> None:
    app = App("shop")
    web = app.add(web_ports())
    env: dict[str, EnvValue] = {"M": web.port_ref("metric")}
    job, at = app.add(Tier("job", image="busybox:1.36.1", service="None", env=env)), line()
    assert job.name == "job"
    assert errors(app) == [
        f"{HERE}:{at}: error: tier 'job', env.M: tier 'web' exposes no port 'metric' on "
        "Service 'web-service' (Service ports: 80 (http), 443 (https), 8080 (alt), "
        "9000 (metrics)). Did you mean 'metrics'?"
    ]


def test_a_reference_to_a_tier_not_in_the_app_is_an_error() -> None:
    app = App("shop")
    stray = MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
    api, at = app.add(Backend("api", image="my-api:1.0.0", env={"DB": stray.host})), line()
    assert api.name == "api"
    assert errors(app) == [
        f"{HERE}:{at}: error: tier 'api', env.DB: references tier 'mysql', which is not in "
        "app 'shop'. Add it with app.add(MySQL('mysql', ...)), or refer to a tier of the app."
    ]


def test_a_reference_to_a_service_the_tier_does_not_have() -> None:
    app = App("shop")
    db = app.add(two_service_db())
    env: dict[str, EnvValue] = {"DB": db.endpoint("db-peer").host}
    api, at = app.add(Backend("api", image="my-api:1.0.0", env=env)), line()
    assert api.name == "api"
    assert errors(app) == [
        f"{HERE}:{at}: error: tier 'api', env.DB: tier 'db' has no Service named 'db-peer' "
        "(its Services: db, db-peers). Did you mean 'db-peers'?"
    ]


def test_every_wrong_reference_is_reported_at_once() -> None:
    app = App("shop")
    api = app.add(Backend("api", image="my-api:1.0.0", service="None"))
    db = MySQL("mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
    app.add(Frontend("web", env={"A": api.host, "B": db.host, "C": api.port_ref(9)}))
    found = errors(app)
    assert len(found) == 3
    assert {f.split("env.")[1].split(":")[0] for f in found} == {"A", "B", "C"}
