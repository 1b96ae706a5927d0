"""Tier kinds for the servers multi-tier apps use: PostgreSQL, Redis,
MariaDB, MongoDB, RabbitMQ and Memcached, each on its official image.

Each profile holds what that image needs, as its own Dockerfile and
entrypoint say: the user it is built with (so the files it ships are its
own), its data directory, the paths it writes, its ports, its readiness
command, the ``*_FILE`` variables its entrypoint reads and the credentials
it refuses to start without.

>>> from tiers import App, Postgres, Redis, SecretKeyRef
>>> app = App("shop")
>>> db = app.add(Postgres("db", env={"POSTGRES_PASSWORD": SecretKeyRef("db", "password")}))
>>> cache = app.add(Redis("cache"))
>>> db.url(path="/shop").scheme, cache.url().scheme
('postgresql', 'redis')
"""

from __future__ import annotations

from dataclasses import KW_ONLY, field
from typing import ClassVar

from tiers.model.app import Port, Tier
from tiers.model.base import model
from tiers.model.profile import (
    HIGH_UID,
    Credential,
    KindProfile,
    ResourceDefaults,
    SecretSettings,
    StorageDefaults,
)

POSTGRES_IMAGE = "postgres:17.9"
REDIS_IMAGE = "redis:7.2.5"
MARIADB_IMAGE = "mariadb:11.8.8"
MONGODB_IMAGE = "mongo:8.0.26"
RABBITMQ_IMAGE = "rabbitmq:4.1.8"
MEMCACHED_IMAGE = "memcached:1.6.45"

IMAGE_USER = HIGH_UID
"""The uid and gid the servers run as: 10001, above any host account. The
official images create their user as 999 (``postgres``, ``redis``, ``mysql``,
``mongodb``, ``rabbitmq``) and their entrypoints support any other uid whose
directories are writable (postgres through ``nss_wrapper``, rabbitmq's
directories are mode 1777): the data volume is owned through ``fsGroup``,
every other path they write is an emptyDir."""
MEMCACHE_USER = 11211
"""The memcached image's ``memcache`` user and group (its ``USER``)."""

DATABASE = ResourceDefaults(cpu="250m", memory="512Mi", cpu_limit="1", memory_limit="1Gi")

POSTGRES_PROFILE = KindProfile(
    run_as_user=IMAGE_USER,
    run_as_group=IMAGE_USER,
    fs_group=IMAGE_USER,
    writable_paths=("/var/run/postgresql", "/tmp"),
    resources=ResourceDefaults(cpu="250m", memory="256Mi", cpu_limit="1", memory_limit="1Gi"),
    probe="exec",
    probe_command=(
        "pg_isready",
        "--host=127.0.0.1",
        "--port=5432",
        "--username=postgres",
        "--quiet",
    ),
    startup_seconds=120,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/var/lib/postgresql", size="1Gi"),
    secret_files={
        name: f"{name}_FILE"
        for name in ("POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB", "POSTGRES_INITDB_ARGS")
    },
    credentials=(Credential(("POSTGRES_PASSWORD",), "a superuser password", "password"),),
)
"""postgres (uid/gid 10001): ``PGDATA`` is ``/var/lib/postgresql/data``; the
volume is mounted at its parent, so the entrypoint creates ``data`` itself,
owned by the server's uid with mode 0700 as initdb demands (a volume's root
holds ``lost+found`` and belongs to root). The socket and lock file go to
``/var/run/postgresql``. ``pg_isready`` over TCP: the entrypoint's first-start
server listens on the socket only, so a TCP check is not fooled by it. It
names a user: libpq takes the default from ``/etc/passwd``, where the image
has no entry for uid 10001, and without one makes no attempt (exit 3)."""

REDIS_PROFILE = KindProfile(
    run_as_user=IMAGE_USER,
    run_as_group=IMAGE_USER,
    fs_group=IMAGE_USER,
    resources=ResourceDefaults(cpu="100m", memory="128Mi", cpu_limit="500m", memory_limit="512Mi"),
    probe="exec",
    probe_command=("sh", "-c", '[ "$(redis-cli -h 127.0.0.1 -p 6379 ping)" = PONG ]'),
    startup_seconds=60,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/data", size="1Gi"),
)
"""redis (uid/gid 10001) works in ``/data`` (its ``WORKDIR`` and ``VOLUME``),
where it saves its snapshots. ``redis-cli ping`` answers ``PONG`` only once
the dataset is loaded (``LOADING`` before); ``redis-cli`` reads a password
from ``REDISCLI_AUTH``."""

MARIADB_NAMES = ("ROOT_PASSWORD", "PASSWORD", "USER", "DATABASE")
MARIADB_PROFILE = KindProfile(
    run_as_user=IMAGE_USER,
    run_as_group=IMAGE_USER,
    fs_group=IMAGE_USER,
    writable_paths=("/run/mysqld", "/tmp"),
    resources=DATABASE,
    probe="exec",
    probe_command=("healthcheck.sh", "--connect", "--innodb_initialized"),
    probe_timeout_seconds=5,
    startup_seconds=120,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/var/lib/mysql", size="1Gi"),
    secret_files={
        f"{prefix}_{name}": f"{prefix}_{name}_FILE"
        for prefix in ("MARIADB", "MYSQL")
        for name in MARIADB_NAMES
    }
    | {"MARIADB_ROOT_PASSWORD_HASH": "MARIADB_ROOT_PASSWORD_HASH_FILE"},
    credentials=(
        Credential(
            (
                "MARIADB_ROOT_PASSWORD",
                "MYSQL_ROOT_PASSWORD",
                "MARIADB_ROOT_PASSWORD_HASH",
                "MARIADB_RANDOM_ROOT_PASSWORD",
                "MYSQL_RANDOM_ROOT_PASSWORD",
            ),
            "a root password",
            "root-password",
        ),
    ),
)
"""mariadb (uid/gid 10001; the image's ``mysql`` is 999) keeps data in ``/var/lib/mysql``
and its socket and lock in ``/run/mysqld``. The image's ``healthcheck.sh
--connect --innodb_initialized`` passes once the server takes TCP
connections and InnoDB is up (the first-start server has no networking)."""

NO_AUTH = "without a root user the server runs with no access control"
MONGODB_PROFILE = KindProfile(
    run_as_user=IMAGE_USER,
    run_as_group=IMAGE_USER,
    fs_group=IMAGE_USER,
    writable_paths=("/data/configdb", "/tmp"),
    resources=DATABASE,
    probe="exec",
    probe_command=("mongosh", "--quiet", "--eval", "quit(db.adminCommand({ping: 1}).ok ? 0 : 1)"),
    probe_timeout_seconds=10,
    startup_seconds=120,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/data/db", size="1Gi"),
    secret_files={
        name: f"{name}_FILE"
        for name in ("MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD")
    },
    credentials=(
        Credential(("MONGO_INITDB_ROOT_USERNAME",), "a root user name", "root-username", NO_AUTH),
        Credential(("MONGO_INITDB_ROOT_PASSWORD",), "a root password", "root-password", NO_AUTH),
    ),
)
"""mongo (uid/gid 10001; the image's ``mongodb`` is 999): data in ``/data/db`` (also its
``HOME``), ``/data/configdb`` for a config server, its socket and the
entrypoint's temporary config in ``/tmp``. Without a root user the server
runs with no access control, so both are required."""

GUEST = "without a default user the image lets 'guest' (password 'guest') in from the network"
RABBITMQ_CONF_D = "/etc/rabbitmq/conf.d"
RABBITMQ_PROFILE = KindProfile(
    run_as_user=IMAGE_USER,
    run_as_group=IMAGE_USER,
    fs_group=IMAGE_USER,
    fs_group_change_policy="OnRootMismatch",
    writable_paths=("/var/log/rabbitmq", RABBITMQ_CONF_D, "/tmp"),
    shipped_paths=(RABBITMQ_CONF_D,),
    secret_settings=SecretSettings(
        f"{RABBITMQ_CONF_D}/90-credentials.conf",
        {"RABBITMQ_DEFAULT_USER": "default_user", "RABBITMQ_DEFAULT_PASS": "default_pass"},
    ),
    resources=DATABASE,
    probe="exec",
    probe_command=("rabbitmq-diagnostics", "-q", "check_running"),
    probe_timeout_seconds=10,
    startup_seconds=120,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/var/lib/rabbitmq", size="1Gi"),
    credentials=(
        Credential(("RABBITMQ_DEFAULT_USER",), "a default user name", "username", GUEST),
        Credential(("RABBITMQ_DEFAULT_PASS",), "a default user's password", "password", GUEST),
    ),
)
"""rabbitmq (uid/gid 10001): its node's data and Erlang cookie in
``/var/lib/rabbitmq`` (its ``HOME``), logs in ``/var/log/rabbitmq``. The
cookie must stay readable by its owner only, so Kubernetes changes the
volume's modes only when its root does not match (``OnRootMismatch``). The
image lets the ``guest`` user in from the network unless a default user is
set. Its entrypoint rejects ``*_FILE`` variables and RabbitMQ takes them
from ``rabbitmq.conf`` instead: given from a Secret, ``RABBITMQ_DEFAULT_USER``
and ``RABBITMQ_DEFAULT_PASS`` are written by an init container as
``default_user``/``default_pass`` into ``conf.d/90-credentials.conf``
(a memory-backed emptyDir, first given the image's own ``conf.d`` files),
never into the environment. Readiness is
``check_running``: ``ping`` answers as soon as the Erlang node is up, before
the broker takes a client."""

MEMCACHED_PROFILE = KindProfile(
    run_as_user=MEMCACHE_USER,
    run_as_group=MEMCACHE_USER,
    resources=ResourceDefaults(cpu="50m", memory="96Mi", cpu_limit="250m", memory_limit="128Mi"),
    probe="tcp",
    startup_seconds=5,
)
"""memcached (its ``memcache`` user, uid/gid 11211) writes no files; 64 MB of
items by default (``-m``), so 96Mi/128Mi of memory."""


@model
class Postgres(Tier):
    """A PostgreSQL database.

    Defaults: image ``postgres:17.9`` (official, pinned), container port
    5432 named ``postgresql`` behind a ClusterIP Service on 5432, component
    ``database``. A StatefulSet with a 1Gi volume at ``/var/lib/postgresql``
    (``PGDATA`` is its ``data`` directory), uid, gid and fsGroup 10001,
    emptyDirs at ``/var/run/postgresql`` and ``/tmp``,
    ``pg_isready`` probes, a startup probe allowing 120 s, 250m/1 CPU and
    256Mi/1Gi memory. ``POSTGRES_PASSWORD`` is required (from a Secret,
    mounted as a file through ``POSTGRES_PASSWORD_FILE``; so are
    ``POSTGRES_USER``, ``POSTGRES_DB``). ``db.url()`` is
    ``postgresql://db-service:5432``.

    >>> from tiers import Postgres, SecretKeyRef
    >>> Postgres("db", env={"POSTGRES_PASSWORD": SecretKeyRef("db", "password")}).image
    'postgres:17.9'
    """

    kind: ClassVar[str] = "Postgres"
    default_component: ClassVar[str | None] = "database"
    profile: ClassVar[KindProfile] = POSTGRES_PROFILE
    url_scheme: ClassVar[str] = "postgresql"

    _: KW_ONLY
    image: str = POSTGRES_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(5432, "postgresql")])


@model
class Redis(Tier):
    """A Redis server.

    Defaults: image ``redis:7.2.5``, port 6379 named ``redis``, component
    ``cache``. A StatefulSet with a 1Gi volume at ``/data`` (where it saves
    snapshots; ``stateful=False`` makes it a Deployment with an emptyDir
    there), uid, gid and fsGroup 10001, ``redis-cli ping`` probes, 100m/500m
    CPU and 128Mi/512Mi memory. ``cache.url()`` is ``redis://cache-service:6379``,
    ``cache.address()`` ``cache-service:6379``.

    >>> from tiers import Redis
    >>> Redis("cache").image
    'redis:7.2.5'
    """

    kind: ClassVar[str] = "Redis"
    default_component: ClassVar[str | None] = "cache"
    profile: ClassVar[KindProfile] = REDIS_PROFILE
    url_scheme: ClassVar[str] = "redis"

    _: KW_ONLY
    image: str = REDIS_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(6379, "redis")])


@model
class MariaDB(Tier):
    """A MariaDB database.

    Defaults: image ``mariadb:11.8.8``, port 3306 named ``mysql``, component
    ``database``. A StatefulSet with a 1Gi volume at ``/var/lib/mysql``, uid,
    gid and fsGroup 10001, emptyDirs at ``/run/mysqld`` and ``/tmp``, the
    image's ``healthcheck.sh`` probes, a startup probe allowing 120 s, 250m/1
    CPU and 512Mi/1Gi memory. A root password is required
    (``MARIADB_ROOT_PASSWORD``, or ``MARIADB_RANDOM_ROOT_PASSWORD``; mounted as
    files through ``*_FILE``). ``db.url()`` is ``mariadb://db-service:3306``.

    >>> from tiers import MariaDB, SecretKeyRef
    >>> MariaDB("db", env={"MARIADB_ROOT_PASSWORD": SecretKeyRef("db", "root-password")}).image
    'mariadb:11.8.8'
    """

    kind: ClassVar[str] = "MariaDB"
    default_component: ClassVar[str | None] = "database"
    profile: ClassVar[KindProfile] = MARIADB_PROFILE
    url_scheme: ClassVar[str] = "mariadb"

    _: KW_ONLY
    image: str = MARIADB_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(3306, "mysql")])


@model
class MongoDB(Tier):
    """A MongoDB database.

    Defaults: image ``mongo:8.0.26``, port 27017 named ``mongodb``, component
    ``database``. A StatefulSet with a 1Gi volume at ``/data/db``, uid, gid
    and fsGroup 10001, emptyDirs at ``/data/configdb`` and ``/tmp``, ``mongosh``
    ping probes (10 s timeout), a startup probe allowing 120 s, 250m/1 CPU and
    512Mi/1Gi memory. ``MONGO_INITDB_ROOT_USERNAME`` and
    ``MONGO_INITDB_ROOT_PASSWORD`` are required (without them the server has
    no access control), mounted as files. ``db.url()`` is
    ``mongodb://db-service:27017``.

    >>> from tiers import MongoDB, SecretKeyRef
    >>> MongoDB("db", env={
    ...     "MONGO_INITDB_ROOT_USERNAME": SecretKeyRef("db", "root-username"),
    ...     "MONGO_INITDB_ROOT_PASSWORD": SecretKeyRef("db", "root-password"),
    ... }).image
    'mongo:8.0.26'
    """

    kind: ClassVar[str] = "MongoDB"
    default_component: ClassVar[str | None] = "database"
    profile: ClassVar[KindProfile] = MONGODB_PROFILE
    url_scheme: ClassVar[str] = "mongodb"

    _: KW_ONLY
    image: str = MONGODB_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(27017, "mongodb")])


@model
class RabbitMQ(Tier):
    """A RabbitMQ message broker.

    Defaults: image ``rabbitmq:4.1.8``, port 5672 named ``amqp``, component
    ``queue``. A StatefulSet with a 1Gi volume at ``/var/lib/rabbitmq``, uid,
    gid and fsGroup 10001 (``fsGroupChangePolicy: OnRootMismatch``), emptyDirs
    at ``/var/log/rabbitmq``, ``/etc/rabbitmq/conf.d`` (the image's files
    copied in) and ``/tmp``, ``rabbitmq-diagnostics -q check_running`` probes
    (10 s timeout), a startup probe allowing 120 s, 250m/1 CPU and 512Mi/1Gi
    memory. ``RABBITMQ_DEFAULT_USER`` and ``RABBITMQ_DEFAULT_PASS`` are
    required (else ``guest``/``guest`` is open to the network); from a Secret,
    an init container writes them into ``conf.d`` as ``default_user`` and
    ``default_pass``, so they are never in the environment.
    ``mq.url()`` is ``amqp://mq-service:5672``.

    >>> from tiers import RabbitMQ, SecretKeyRef
    >>> RabbitMQ("mq", env={
    ...     "RABBITMQ_DEFAULT_USER": SecretKeyRef("mq", "username"),
    ...     "RABBITMQ_DEFAULT_PASS": SecretKeyRef("mq", "password"),
    ... }).image
    'rabbitmq:4.1.8'
    """

    kind: ClassVar[str] = "RabbitMQ"
    default_component: ClassVar[str | None] = "queue"
    profile: ClassVar[KindProfile] = RABBITMQ_PROFILE
    url_scheme: ClassVar[str] = "amqp"

    _: KW_ONLY
    image: str = RABBITMQ_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(5672, "amqp")])


@model
class Memcached(Tier):
    """A Memcached cache.

    Defaults: image ``memcached:1.6.45``, port 11211 named ``memcached``,
    component ``cache``. A Deployment (it keeps nothing on disk), uid and gid
    11211 (the image's ``memcache``), TCP probes, 50m/250m CPU and 96Mi/128Mi
    memory. ``cache.address()`` is ``cache-service:11211``.

    >>> from tiers import Memcached
    >>> Memcached("cache").image
    'memcached:1.6.45'
    """

    kind: ClassVar[str] = "Memcached"
    default_component: ClassVar[str | None] = "cache"
    profile: ClassVar[KindProfile] = MEMCACHED_PROFILE
    url_scheme: ClassVar[str] = "memcached"

    _: KW_ONLY
    image: str = MEMCACHED_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(11211, "memcached")])
