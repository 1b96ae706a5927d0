"""Every kind's pod, as tiers builds it, starts the real server (Debian's
package) under the pod's security context and becomes ready; and the same
pods, each with one thing taken away, do not (the harness can fail).

MongoDB is not packaged in Debian (its licence, the SSPL, keeps it out of
main and contrib), so no MongoDB pod is started here: its kind is checked by
the schema and Pod Security tests only. ``test_every_kind_has_a_case`` holds
this module to the list of kinds, so a new kind cannot go untested silently.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import tiers
from tests.runtime import harness, images
from tests.runtime.harness import Image, Launch, Outcome
from tests.runtime.pods import Pod, pods, service_names
from tiers import App, SecretKeyRef
from tiers.compiler import manifests

NOT_PACKAGED = {"MongoDB": "mongodb is not packaged in Debian (SSPL)"}

SECRETS = {
    "mysql": {"root-password": "mysql-root-pw"},
    "pg": {"password": "pg-pw"},
    "maria": {"root-password": "maria-root-pw"},
    "mq": {"username": "shop", "password": "mq-pw"},
}


def kinds_app() -> App:
    """One tier of each kind, each with only what its docstring says is required."""
    app = App("kinds", namespace="kinds")
    app.add(
        tiers.MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql", "root-password")})
    )
    app.add(tiers.Backend("api", image="registry.example.com/api:1.0"))
    app.add(tiers.Frontend("web"))
    app.add(tiers.Postgres("pg", env={"POSTGRES_PASSWORD": SecretKeyRef("pg", "password")}))
    app.add(tiers.Redis("cache"))
    app.add(
        tiers.MariaDB(
            "maria", env={"MARIADB_ROOT_PASSWORD": SecretKeyRef("maria", "root-password")}
        )
    )
    user, password = SecretKeyRef("mq", "username"), SecretKeyRef("mq", "password")
    app.add(
        tiers.RabbitMQ("mq", env={"RABBITMQ_DEFAULT_USER": user, "RABBITMQ_DEFAULT_PASS": password})
    )
    app.add(tiers.Memcached("memo"))
    return app


KIND_OF = {
    "mysql": "MySQL",
    "api": "Backend",
    "web": "Frontend",
    "pg": "Postgres",
    "cache": "Redis",
    "maria": "MariaDB",
    "mq": "RabbitMQ",
    "memo": "Memcached",
}

STAND_INS: dict[str, Image] = {
    "mysql": images.MYSQL,
    "api": images.app_server(8080),
    "web": images.nginx(unprivileged=True),
    "pg": images.POSTGRES,
    "cache": images.REDIS,
    "maria": images.MARIADB,
    "mq": images.RABBITMQ,
    "memo": images.MEMCACHED,
}

SQL = "-e 'select 1' >/dev/null"
IP = harness.POD_IP


def sh(script: str) -> tuple[str, ...]:
    return ("sh", "-c", script)


AFTER: dict[str, tuple[str, ...]] = {
    # Once ready, a client does what the app's clients will: with the
    # credentials from the Secret, over the network.
    "mysql": sh(f'mariadb -h {IP} -uroot -p"$(cat $MYSQL_ROOT_PASSWORD_FILE)" {SQL}'),
    "pg": sh(f'PGPASSWORD="$(cat $POSTGRES_PASSWORD_FILE)" psql -h {IP} -U postgres -c "select 1"'),
    "maria": sh(f'mariadb -h {IP} -uroot -p"$(cat $MARIADB_ROOT_PASSWORD_FILE)" {SQL}'),
    # The user and password from the Secret, written into conf.d by the init
    # container: none of them in the server's environment.
    "mq": sh('[ -z "${RABBITMQ_DEFAULT_PASS-}" ] && rabbitmqctl -q authenticate_user shop mq-pw'),
    "cache": sh(f'redis-cli -h {IP} set k v && [ "$(redis-cli -h {IP} get k)" = v ]'),
}


def mutated(pod: Pod, change: Any) -> Pod:
    """A copy of ``pod`` with ``change(spec)`` applied to its spec."""
    spec = copy.deepcopy(pod.spec)
    change(spec)
    return Pod(pod.kind, pod.name, pod.namespace, spec, pod.claims)


def without_mount(path: str) -> Any:
    def change(spec: dict[str, Any]) -> None:
        container = spec["containers"][0]
        container["volumeMounts"] = [m for m in container["volumeMounts"] if m["mountPath"] != path]

    return change


def without_fs_group(spec: dict[str, Any]) -> None:
    del spec["securityContext"]["fsGroup"]


def read_only(path: str) -> Any:
    def change(spec: dict[str, Any]) -> None:
        for mount in spec["containers"][0]["volumeMounts"]:
            if mount["mountPath"] == path:
                mount["readOnly"] = True

    return change


def as_user(uid: int) -> Any:
    def change(spec: dict[str, Any]) -> None:
        spec["securityContext"]["runAsUser"] = uid
        spec["containers"][0]["securityContext"]["runAsUser"] = uid

    return change


def memory_limit(quantity: str) -> Any:
    def change(spec: dict[str, Any]) -> None:
        spec["containers"][0]["resources"]["limits"]["memory"] = quantity

    return change


def without_init(name: str) -> Any:
    def change(spec: dict[str, Any]) -> None:
        spec["initContainers"] = [c for c in spec["initContainers"] if c["name"] != name]

    return change


def adding(capability: str) -> Any:
    def change(spec: dict[str, Any]) -> None:
        spec["containers"][0]["securityContext"]["capabilities"]["add"] = [capability]

    return change


CONTROLS = {
    # name: (tier, change, what the server says when it fails)
    "mysql-no-socket-dir": ("mysql", without_mount("/var/run/mysqld"), "mysqld.sock"),
    "mysql-data-not-group-owned": ("mysql", without_fs_group, "Permission denied"),
    "pg-data-read-only": ("pg", read_only("/var/lib/postgresql"), "Read-only file system"),
    "web-no-tmp": ("web", without_mount("/tmp"), "/tmp/"),
    "maria-no-run-dir": ("maria", without_mount("/run/mysqld"), "mysqld.sock"),
    "mq-no-log-dir": ("mq", without_mount("/var/log/rabbitmq"), "rabbitmq"),
    "mq-no-settings": ("mq", without_init("write-settings"), 'failed to authenticate user "shop"'),
}


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every kind's pod and every control, started together; then the pieces
    that need a pod started before them: ``pg`` restarted on its data (as
    itself, and as another uid), the MySQL client check with a wrong password."""
    missing = harness.tools_missing()
    assert not missing, f"missing {missing}: run scripts/setup-tools"
    docs = manifests(kinds_app())
    found = pods(docs)
    hosts = tuple(service_names(docs))
    base = tmp_path_factory.mktemp("kinds")

    def launch(pod: Pod, tier: str, **extra: Any) -> Launch:
        after = extra.pop("after", AFTER.get(tier, ()))
        return Launch(pod, STAND_INS[tier], SECRETS, hosts=hosts, after=after, timeout=90, **extra)

    launches = {tier: launch(found[tier], tier) for tier in KIND_OF}
    for name, (tier, change, _) in CONTROLS.items():
        launches[name] = launch(mutated(found[tier], change), tier)
    small = mutated(found["mysql"], memory_limit("16Mi"))
    launches["mysql-16Mi"] = launch(small, "mysql")
    wrong = sh(f"mariadb -h {IP} -uroot -pnot-the-password {SQL}")
    launches["mysql-wrong-password"] = launch(found["mysql"], "mysql", after=wrong)
    outcomes = harness.start_all(launches, base)
    # A claim outlives its pod: the same volume, with the kubelet's fsGroup
    # ownership applied again, as the pod is restarted.
    outcomes["pg-restarted"] = harness.start(launch(found["pg"], "pg"), base / "pg")
    uid = found["pg"].spec["securityContext"]["runAsUser"]
    other = launch(mutated(found["pg"], as_user(uid + 1)), "pg", after=())
    outcomes["pg-restarted-as-another-uid"] = harness.start(other, base / "pg")
    return outcomes


@pytest.mark.parametrize("tier", sorted(KIND_OF))
def test_kind_starts(started: dict[str, Outcome], tier: str) -> None:
    outcome = started[tier]
    assert outcome.ready, f"{KIND_OF[tier]}: {outcome}"
    assert outcome.seconds < 90


@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_control_fails(started: dict[str, Outcome], control: str) -> None:
    outcome = started[control]
    assert not outcome.ready, f"{control} became ready: the harness cannot fail this way"
    assert CONTROLS[control][2] in outcome.log, outcome


def test_memory_limit_is_applied(started: dict[str, Outcome]) -> None:
    """MySQL in 16Mi: the kernel kills it, as in the kubelet's cgroup (the
    entrypoint's shell reports its initialization ``Killed``, or the kill
    takes the entrypoint itself)."""
    outcome = started["mysql-16Mi"]
    assert not outcome.ready
    killed = any(line.endswith("Killed") for line in outcome.log.splitlines())
    assert killed or outcome.reason == "the process exited with -9", outcome


def test_check_after_ready_fails_on_a_wrong_password(started: dict[str, Outcome]) -> None:
    outcome = started["mysql-wrong-password"]
    assert not outcome.ready and outcome.reason == "the check after ready failed", outcome
    assert "Access denied" in outcome.log


def test_restart_keeps_the_data(started: dict[str, Outcome]) -> None:
    outcome = started["pg-restarted"]
    assert outcome.ready, outcome
    assert "initdb" not in outcome.log  # the entrypoint found its database
    assert "database system was" in outcome.log  # ... and the server its data


def test_restart_as_another_uid_fails(started: dict[str, Outcome]) -> None:
    outcome = started["pg-restarted-as-another-uid"]
    assert not outcome.ready
    assert "has wrong ownership" in outcome.log, outcome


def test_every_kind_has_a_case() -> None:
    """A kind is a Tier subclass with a profile of its own."""
    kinds = {
        name
        for name in tiers.__all__
        if isinstance(getattr(tiers, name), type)
        and issubclass(getattr(tiers, name), tiers.Tier)
        and "profile" in getattr(tiers, name).__dict__
        and name != "Tier"
    }
    assert kinds == set(KIND_OF.values()) | set(NOT_PACKAGED)


def test_sandbox_is_the_pods_context(tmp_path: Path) -> None:
    """The process runs with the spec's uid, gid and groups, no effective
    capability (the bounding set holds only what the spec adds), no new
    privileges, a read-only root and writable mounts."""
    app = App("ctx", namespace="ctx")
    app.add(tiers.Postgres("pg", env={"POSTGRES_PASSWORD": SecretKeyRef("pg", "password")}))
    pod = pods(manifests(app))["pg"]
    pod = mutated(pod, adding("NET_BIND_SERVICE"))
    ctx = pod.spec["securityContext"]
    groups = " ".join(dict.fromkeys(str(g) for g in (ctx["runAsGroup"], ctx["fsGroup"])))
    ids = f"{ctx['runAsUser']}:{ctx['runAsGroup']}:{groups}"
    script = (
        f'set -e; [ "$(id -u):$(id -g):$(id -G)" = "{ids}" ];'
        " grep -q 'CapEff:\t0000000000000000' /proc/self/status;"
        " grep -q 'CapBnd:\t0000000000000400' /proc/self/status;"
        " grep -q 'NoNewPrivs:\t1' /proc/self/status;"
        " for p in /etc/x /usr/x /x; do ! touch $p 2>/dev/null; done;"
        " touch /tmp/x /var/run/postgresql/x;"
        f" touch /var/lib/postgresql/x; [ $(stat -c %g /var/lib/postgresql) = {ctx['fsGroup']} ]"
    )
    launch = Launch(pod, images.POSTGRES, SECRETS, before=(("sh", "-c", script),), timeout=60)
    assert harness.start(launch, tmp_path).ready
    failing = Launch(pod, images.POSTGRES, SECRETS, before=(("sh", "-c", "touch /x"),))
    outcome = harness.start(failing, tmp_path / "control")
    assert not outcome.ready and "before-start check failed" in str(outcome.reason)


def unconfined(spec: dict[str, Any]) -> None:
    spec["securityContext"]["seccompProfile"] = {"type": "Unconfined"}


def test_the_runtime_default_seccomp_profile_is_applied(tmp_path: Path) -> None:
    """Under ``RuntimeDefault`` a new user namespace is refused (``unshare``
    needs CAP_SYS_ADMIN there); the control: the same pod ``Unconfined``,
    where the kernel allows it."""
    app = App("ctx", namespace="ctx")
    app.add(tiers.Memcached("memo"))
    pod = pods(manifests(app))["memo"]
    assert pod.spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    refused = (("sh", "-c", "! unshare --user true 2>/dev/null"),)
    assert harness.start(Launch(pod, images.MEMCACHED, before=refused), tmp_path / "default").ready
    allowed = (("unshare", "--user", "true"),)
    opened = Launch(mutated(pod, unconfined), images.MEMCACHED, before=allowed)
    assert harness.start(opened, tmp_path / "open").ready
    control = harness.start(Launch(pod, images.MEMCACHED, before=allowed), tmp_path / "control")
    assert not control.ready and "before-start check failed" in str(control.reason)


def test_a_probe_the_harness_cannot_run_is_never_ready(tmp_path: Path) -> None:
    """A gRPC probe (no gRPC client here) is reported, not taken as passing."""
    app = App("grpc", namespace="grpc")
    probe = tiers.Probe(grpc=True)
    app.add(tiers.Backend("api", image="example/api:1.0", probes=tiers.Probes(readiness=probe)))
    pod = pods(manifests(app))["api"]
    assert "grpc" in pod.container()["readinessProbe"]
    outcome = harness.start(Launch(pod, images.app_server(8080), timeout=10), tmp_path)
    assert not outcome.ready
    assert outcome.reason == "probe handler not supported by the harness: " + str(
        sorted(pod.container()["readinessProbe"])
    )
