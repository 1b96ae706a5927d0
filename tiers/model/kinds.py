"""Built-in tier kinds: a general :class:`~tiers.model.app.Tier` with defaults that
fit a well-known role."""

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
    StorageDefaults,
)

MYSQL_IMAGE = "mysql:8.4.3"
FRONTEND_IMAGE = "nginxinc/nginx-unprivileged:1.27.3"

ROOT_PASSWORDS = ("MYSQL_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD")
MYSQL_CREDENTIALS = (Credential(ROOT_PASSWORDS, "a root password", "root-password"),)
MYSQL_PROFILE = KindProfile(
    fs_group=HIGH_UID,
    writable_paths=("/var/run/mysqld", "/var/lib/mysql-files", "/tmp"),
    resources=ResourceDefaults(cpu="250m", memory="512Mi", cpu_limit="1", memory_limit="1Gi"),
    probe="tcp",
    startup_seconds=120,
    startup_probe=True,
    storage=StorageDefaults(mount_path="/var/lib/mysql", size="1Gi", sub_path="mysql"),
    secret_files={
        "MYSQL_ROOT_PASSWORD": "MYSQL_ROOT_PASSWORD_FILE",
        "MYSQL_PASSWORD": "MYSQL_PASSWORD_FILE",
        "MYSQL_USER": "MYSQL_USER_FILE",
        "MYSQL_DATABASE": "MYSQL_DATABASE_FILE",
    },
    credentials=MYSQL_CREDENTIALS,
)
"""The official mysql image runs as any non-root uid when its directories are
writable: data on a volume owned through ``fsGroup`` (in its ``mysql``
directory, away from an ext4 ``lost+found``), emptyDirs for the
socket, ``secure_file_priv`` and temporary files. Its entrypoint reads
``*_FILE`` variables, and refuses to initialise a database without a root
password (``MYSQL_ROOT_PASSWORD``, or ``MYSQL_RANDOM_ROOT_PASSWORD``). The
first start initialises the data directory: a startup probe gives it two
minutes before liveness counts. Its temporary server during that start
listens on no TCP port, so the TCP probes are truthful."""

BACKEND_PROFILE = KindProfile(
    resources=ResourceDefaults(cpu="100m", memory="128Mi", cpu_limit="500m", memory_limit="256Mi"),
    probe="http",
    probe_path="/healthz",
    startup_seconds=15,
)

FRONTEND_PROFILE = KindProfile(
    writable_paths=("/tmp", "/var/cache/nginx", "/var/run"),
    shipped_paths=("/etc/nginx/conf.d",),
    resources=ResourceDefaults(cpu="50m", memory="64Mi", cpu_limit="250m", memory_limit="128Mi"),
    probe="http",
    probe_path="/",
    startup_seconds=5,
)
"""nginx writes its pid and temporary files to ``/tmp`` (unprivileged image),
``/var/cache/nginx`` and ``/var/run`` (the official image). Its image ships
``/etc/nginx/conf.d/default.conf``: made writable (for the entrypoint's
templates, ``NGINX_ENVSUBST_OUTPUT_DIR``), the directory is first filled with
the image's files by an init container."""


@model
class MySQL(Tier):
    """A MySQL database.

    Defaults: image ``mysql:8.4.3`` (the official image, pinned), container
    port 3306 named ``mysql``, a ClusterIP Service on 3306, component
    ``database``. A StatefulSet with a 1Gi volume at ``/var/lib/mysql``, uid,
    gid and fsGroup 10001, emptyDirs at ``/var/run/mysqld``,
    ``/var/lib/mysql-files`` and ``/tmp``, TCP probes, 250m/1 CPU and
    512Mi/1Gi memory, a startup probe allowing 120 s for the first start.
    ``MYSQL_ROOT_PASSWORD`` (and ``MYSQL_PASSWORD``, ``MYSQL_USER``,
    ``MYSQL_DATABASE``) from a Secret are mounted as files; a root password
    (or ``MYSQL_RANDOM_ROOT_PASSWORD``) is required, as the image refuses to
    start without one. ``db.url()`` is ``mysql://mysql-service:3306``.

    >>> from tiers import MySQL, SecretKeyRef
    >>> MySQL("mysql", env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql", "root-password")}).image
    'mysql:8.4.3'
    """

    kind: ClassVar[str] = "MySQL"
    url_scheme: ClassVar[str] = "mysql"
    default_component: ClassVar[str | None] = "database"
    profile: ClassVar[KindProfile] = MYSQL_PROFILE

    _: KW_ONLY
    image: str = MYSQL_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(3306, "mysql")])


@model
class Backend(Tier):
    """An HTTP API server.

    Defaults: container port 8080 named ``http`` behind Service port 80,
    component ``backend``, HTTP probes on ``/healthz``, 100m/500m CPU and
    128Mi/256Mi memory. The image is required.

    >>> from tiers import Backend
    >>> Backend("api", image="my-api:1.0").port
    80
    """

    kind: ClassVar[str] = "Backend"
    default_component: ClassVar[str | None] = "backend"
    profile: ClassVar[KindProfile] = BACKEND_PROFILE

    _: KW_ONLY
    ports: list[Port | int] = field(default_factory=lambda: [Port(8080, "http")])
    port: int | None = 80


@model
class Frontend(Tier):
    """A web frontend.

    Defaults: image ``nginxinc/nginx-unprivileged:1.27.3`` (nginx that runs as
    a non-root user), container port 8080 named ``http`` behind Service port 80,
    component ``frontend``, HTTP probes on ``/``, emptyDirs where nginx writes
    (``/tmp``, ``/var/cache/nginx``, ``/var/run``), 50m/250m CPU and
    64Mi/128Mi memory.

    >>> from tiers import Frontend
    >>> Frontend("web").port
    80
    """

    kind: ClassVar[str] = "Frontend"
    default_component: ClassVar[str | None] = "frontend"
    profile: ClassVar[KindProfile] = FRONTEND_PROFILE

    _: KW_ONLY
    image: str = FRONTEND_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(8080, "http")])
    port: int | None = 80
