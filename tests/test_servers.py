"""The server kinds, probes, security levels and truthful opt-out warnings."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest

from tests.k8s import containers, pod_spec, workloads
from tiers import (
    App,
    Backend,
    DevSecret,
    Frontend,
    MariaDB,
    Memcached,
    MongoDB,
    MySQL,
    Port,
    Postgres,
    Probe,
    Probes,
    RabbitMQ,
    Redis,
    SecretKeyRef,
    Security,
    Storage,
    Tier,
    kind_for_image,
    manifests,
)
from tiers.checks.pss import BASELINE_CAPABILITIES, pss_level
from tiers.compiler import validate
from tiers.resolve.pods import RUNTIME_CAPABILITIES


def _secret(name: str, key: str) -> SecretKeyRef:
    return SecretKeyRef(f"{name}-credentials", key)


def servers() -> App:
    app = App("shop")
    app.add(Postgres("db", env={"POSTGRES_PASSWORD": _secret("db", "password")}))
    app.add(MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": _secret("mysql", "root-password")}))
    app.add(MariaDB("mariadb", env={"MARIADB_ROOT_PASSWORD": _secret("mariadb", "root")}))
    mongo_env = {
        "MONGO_INITDB_ROOT_USERNAME": _secret("mongo", "user"),
        "MONGO_INITDB_ROOT_PASSWORD": _secret("mongo", "password"),
    }
    app.add(MongoDB("mongo", env=mongo_env))
    app.add(Redis("cache"))
    queue_env = {
        "RABBITMQ_DEFAULT_USER": _secret("queue", "user"),
        "RABBITMQ_DEFAULT_PASS": _secret("queue", "password"),
    }
    app.add(RabbitMQ("queue", env=queue_env))
    app.add(Memcached("sessions"))
    return app


def _by_name(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {w["metadata"]["name"]: w for w in workloads(docs)}


def test_every_server_kind_is_valid_kubernetes_and_restricted() -> None:
    docs = manifests(servers())
    for doc in docs:
        kubernetes_validate.validate(doc, "1.30", strict=True)
    for workload in workloads(docs):
        assert pss_level(pod_spec(workload))[0] == "restricted", workload["metadata"]["name"]


@pytest.mark.parametrize(
    ("name", "kind", "uid", "data", "writable", "probe"),
    [
        ("db", "StatefulSet", 10001, "/var/lib/postgresql", {"/var/run/postgresql"}, "pg_isready"),
        ("mariadb", "StatefulSet", 10001, "/var/lib/mysql", {"/run/mysqld"}, "healthcheck.sh"),
        ("mongo", "StatefulSet", 10001, "/data/db", {"/data/configdb"}, "mongosh"),
        ("cache", "StatefulSet", 10001, "/data", {"/tmp"}, "sh"),
        (
            "queue",
            "StatefulSet",
            10001,
            "/var/lib/rabbitmq",
            {"/var/log/rabbitmq"},
            "rabbitmq-diagnostics",
        ),
        ("sessions", "Deployment", 11211, None, {"/tmp"}, None),
    ],
)
def test_each_profile_is_what_its_image_needs(
    name: str, kind: str, uid: int, data: str | None, writable: set[str], probe: str | None
) -> None:
    workload = _by_name(manifests(servers()))[name]
    assert workload["kind"] == kind
    context = pod_spec(workload)["securityContext"]
    assert (context["runAsUser"], context["runAsGroup"]) == (uid, uid)
    assert context.get("fsGroup") == (uid if data else None)
    [container] = containers(workload)
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert writable <= set(mounts)
    if data is not None:
        assert mounts[data] == "data"
    readiness = container["readinessProbe"]
    if probe is None:
        assert "tcpSocket" in readiness and "startupProbe" not in container
    else:
        assert readiness["exec"]["command"][0] == probe
        assert container["startupProbe"]["exec"] == readiness["exec"]
        assert container["livenessProbe"]["initialDelaySeconds"] == 0


def test_credentials_are_files_where_the_image_reads_them() -> None:
    docs = _by_name(manifests(servers()))
    [db] = containers(docs["db"])
    assert {
        "name": "POSTGRES_PASSWORD_FILE",
        "value": "/etc/secrets/db-credentials/password",
    } in db["env"]
    assert pod_spec(docs["queue"])["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"


def test_rabbitmq_credentials_are_written_into_its_config_not_its_environment() -> None:
    """RabbitMQ's entrypoint rejects ``*_FILE``: an init container writes the
    Secret's values into conf.d (first given the image's own files), which
    only it mounts; the server's environment holds none of them."""
    spec = pod_spec(_by_name(manifests(servers()))["queue"])
    [queue] = spec["containers"]
    assert not [e for e in queue.get("env", []) if e["name"].startswith("RABBITMQ_DEFAULT")]
    copy, writer = spec["initContainers"]
    assert copy["command"] == ["cp", "-R", "/etc/rabbitmq/conf.d/.", "/seed/"]
    assert writer["name"] == "write-settings" and writer["image"] == queue["image"]
    assert writer["command"][4:] == [
        "/etc/rabbitmq/conf.d/90-credentials.conf",
        *("default_user", "/etc/secrets/queue-credentials/user"),
        *("default_pass", "/etc/secrets/queue-credentials/password"),
    ]
    mounted = {m["mountPath"]: m["name"] for m in writer["volumeMounts"]}
    conf = mounted["/etc/rabbitmq/conf.d"]
    assert {m["mountPath"]: m["name"] for m in queue["volumeMounts"]}[
        "/etc/rabbitmq/conf.d"
    ] == conf
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes[conf]["emptyDir"] == {"medium": "Memory"}
    secret = mounted["/etc/secrets/queue-credentials"]
    assert volumes[secret]["secret"]["secretName"] == "queue-credentials"
    assert all(m["name"] != secret for m in queue["volumeMounts"])
    assert writer["securityContext"]["readOnlyRootFilesystem"] is True


def test_a_literal_rabbitmq_credential_stays_an_env_value() -> None:
    """Only a Secret's values move into the file: a literal is the user's
    choice (and warned about as a credential in the app)."""
    app = App("mq", namespace="mq")
    app.add(
        RabbitMQ(
            "q", env={"RABBITMQ_DEFAULT_USER": "shop", "RABBITMQ_DEFAULT_PASS": DevSecret("x")}
        )
    )
    [doc] = [d for d in manifests(app) if d["kind"] == "StatefulSet"]
    spec = pod_spec(doc)
    assert [c["name"] for c in spec["initContainers"]] == [
        "copy-etc-rabbitmq-conf-d",
        "write-settings",
    ]
    assert spec["initContainers"][1]["command"][5:] == [
        "default_pass",
        "/etc/secrets/q-dev-secrets/RABBITMQ_DEFAULT_PASS",
    ]
    env = {e["name"]: e for e in spec["containers"][0]["env"]}
    assert env["RABBITMQ_DEFAULT_USER"] == {"name": "RABBITMQ_DEFAULT_USER", "value": "shop"}
    assert "RABBITMQ_DEFAULT_PASS" not in env


def test_references_have_the_kinds_scheme() -> None:
    app = servers()
    db, mysql, mariadb, mongo, cache, queue, sessions = app.tiers
    env = {
        "DB": db.url(path="/shop"),
        "MYSQL": mysql.url(),
        "MARIADB": mariadb.url(),
        "MONGO": mongo.url(),
        "CACHE": cache.url(),
        "QUEUE": queue.url(),
        "SESSIONS": sessions.address(),
        "WEB": cache.url("http"),
    }
    app.add(Backend("api", image="api:1.0", env=env))
    api = _by_name(manifests(app))["api"]
    values = {e["name"]: e["value"] for e in containers(api)[0]["env"]}
    assert values == {
        "DB": "postgresql://db-service:5432/shop",
        "MYSQL": "mysql://mysql-service:3306",
        "MARIADB": "mariadb://mariadb-service:3306",
        "MONGO": "mongodb://mongo-service:27017",
        "CACHE": "redis://cache-service:6379",
        "QUEUE": "amqp://queue-service:5672",
        "SESSIONS": "sessions-service:11211",
        "WEB": "http://cache-service:6379",
    }


@pytest.mark.parametrize(
    ("tier", "text"),
    [
        (Postgres("db"), "Postgres needs a superuser password (POSTGRES_PASSWORD)"),
        (MySQL("mysql"), "MySQL needs a root password (MYSQL_ROOT_PASSWORD or MYSQL_RANDOM"),
        (MariaDB("db"), "MariaDB needs a root password (MARIADB_ROOT_PASSWORD or"),
        (RabbitMQ("mq"), "lets 'guest' (password 'guest') in from the network"),
    ],
)
def test_a_missing_credential_is_an_error_with_the_fix(tier: Tier, text: str) -> None:
    app = App("shop")
    app.add(tier)
    [error, *_] = [d for d in validate(app)[1] if d.code == "credential-missing"]
    assert error.severity == "error" and error.tier == tier.name and error.field == "env"
    assert text in error.message and "kubectl create secret generic" in error.message
    assert error.location.line > 0


def test_a_credential_as_a_file_variable_is_enough() -> None:
    app = App("shop")
    app.add(Postgres("db", env={"POSTGRES_PASSWORD_FILE": "/run/secrets/pg"}))
    assert not [d for d in validate(app)[1] if d.code == "credential-missing"]


def test_an_unknown_probe_field_lists_the_fields() -> None:
    app = App("shop")
    app.add(Tier("a", image="a:1", ports=[80], probes=Probes(readiness=Probe(comand=["x"]))))  # type: ignore[call-arg]
    [error] = [d for d in validate(app)[1] if d.severity == "error"]
    assert "Probe(...) has no field 'comand'. Did you mean 'command'?" in error.message
    assert "Its fields: path, tcp, command, grpc, grpc_service, port," in error.message


def test_exec_grpc_and_startup_probes() -> None:
    app = App("shop")
    probes = Probes(
        readiness=Probe(grpc=True, port="grpc"),
        liveness=Probe(command=["/bin/health"], period_seconds=30),
        startup_seconds=95,
    )
    app.add(Tier("api", image="api:1.0", ports=[Port(9090, "grpc")], probes=probes))
    [container] = containers(_by_name(manifests(app))["api"])
    assert container["readinessProbe"]["grpc"] == {"port": 9090} or container["readinessProbe"][
        "grpc"
    ]["port"] in (9090, "grpc")
    assert container["livenessProbe"]["exec"] == {"command": ["/bin/health"]}
    startup = container["startupProbe"]
    assert startup["failureThreshold"] * startup["periodSeconds"] >= 95
    assert container["livenessProbe"]["initialDelaySeconds"] == 0


def test_a_general_tier_with_storage_can_write_its_volume() -> None:
    app = App("shop")
    app.add(Tier("cms", image="cms:2.0", ports=[8080], storage=Storage("1Gi", mount_path="/up")))
    context = pod_spec(_by_name(manifests(app))["cms"])["securityContext"]
    assert context["fsGroup"] == context["runAsGroup"] == 10001


def test_a_tier_on_a_kinds_image_is_told_the_kind() -> None:
    assert kind_for_image("docker.io/library/postgres:16") is Postgres
    app = App("shop")
    app.add(Tier("pg", image="postgres:16", ports=[5432]))
    [warning] = [d for d in validate(app)[1] if d.code == "image-has-kind"]
    assert "Write Postgres('pg', image='postgres:16') instead of Tier(...)" in warning.message


def test_baseline_is_one_choice_and_labels_the_namespace() -> None:
    app = App("legacy")
    app.add(Tier("old", image="old:1.0", ports=[8080], security="baseline"))
    diagnostics = validate(app)[1]
    docs = manifests(app)
    namespace = next(d for d in docs if d["kind"] == "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"
    spec = pod_spec(_by_name(docs)["old"])
    assert pss_level(spec)[0] == "baseline"
    assert "runAsUser" not in spec["securityContext"]
    added = spec["containers"][0]["securityContext"]["capabilities"]["add"]
    assert set(added) == BASELINE_CAPABILITIES
    [warning] = [d for d in diagnostics if d.code == "namespace-pod-security"]
    assert warning.tier == "old" and "baseline" in warning.message


def test_the_runtime_capabilities_are_those_baseline_allows() -> None:
    assert set(RUNTIME_CAPABILITIES) == BASELINE_CAPABILITIES


OPT_OUTS = [
    Security(run_as_user=1000),
    Security(add_capabilities=["NET_BIND_SERVICE"]),
    Security(run_as_non_root=False),
    Security(allow_privilege_escalation=True),
    Security(add_capabilities=["SYS_CHROOT"]),
    Security(add_capabilities=["NET_ADMIN"]),
    Security(seccomp_profile="Unconfined"),
    Security(read_only_root_filesystem=False),
    Security(run_as_user=0, run_as_non_root=False),
]


@pytest.mark.parametrize("security", OPT_OUTS, ids=repr)
def test_a_warning_names_a_standard_only_when_the_standard_forbids_it(security: Security) -> None:
    """The oracle is the Pod Security Standards as pss_level reads them."""
    app = App("shop")
    app.add(Tier("t", image="t:1.0", ports=[8080], security=security))
    level = pss_level(pod_spec(_by_name(manifests(app))["t"]))[0]
    messages = [d.message for d in validate(app)[1] if d.code == "security-opt-out"]
    says_restricted = any("weakens the restricted" in m for m in messages)
    says_baseline = any("weakens the baseline" in m for m in messages)
    assert says_baseline == (level == "privileged")
    assert says_restricted == (level == "baseline" or (level == "privileged" and says_restricted))
    if level == "restricted":
        assert not any("Pod Security Standard, which forbids" in m for m in messages)


def test_a_writable_path_the_image_ships_files_in_is_filled_first() -> None:
    app = App("site")
    app.add(Frontend("web", security=Security(writable_paths=["/etc/nginx/conf.d"])))
    spec = pod_spec(_by_name(manifests(app))["web"])
    [copy] = spec["initContainers"]
    assert copy["image"] == spec["containers"][0]["image"]
    assert copy["command"] == ["cp", "-R", "/etc/nginx/conf.d/.", "/seed/"]
    seed = {m["mountPath"]: m["name"] for m in copy["volumeMounts"]}["/seed"]
    main = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
    assert main["/etc/nginx/conf.d"] == seed
    assert pss_level(spec)[0] == "restricted"
    plain = App("plain")
    plain.add(Frontend("web"))
    assert "initContainers" not in pod_spec(_by_name(manifests(plain))["web"])


def test_a_container_without_ports_is_probed_by_a_command_only() -> None:
    app = App("shop")
    probes = Probes(readiness=Probe(command=["/bin/ready"]))
    app.add(Tier("worker", image="worker:1.0", service="None", probes=probes))
    [container] = containers(_by_name(manifests(app))["worker"])
    assert container["readinessProbe"]["exec"] == {"command": ["/bin/ready"]}
    assert "livenessProbe" not in container and "startupProbe" not in container
