"""Built-in tier kinds: a general :class:`~tiers.model.Tier` with defaults that
fit a well-known role."""

from __future__ import annotations

from dataclasses import field
from typing import ClassVar

from tiers.model import Port, Tier
from tiers.modelbase import model

MYSQL_IMAGE = "mysql:8.4.3"
FRONTEND_IMAGE = "nginxinc/nginx-unprivileged:1.27.3"


@model
class MySQL(Tier):
    """A MySQL database.

    Defaults: image ``mysql:8.4.3`` (the official image, pinned), container
    port 3306 named ``mysql``, a ClusterIP Service on 3306, component
    ``database``.

    >>> from tiers import MySQL
    >>> MySQL("mysql").image
    'mysql:8.4.3'
    """

    kind: ClassVar[str] = "MySQL"
    default_component: ClassVar[str | None] = "database"

    image: str = MYSQL_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(3306, "mysql")])


@model
class Backend(Tier):
    """An HTTP API server.

    Defaults: container port 8080 named ``http`` behind Service port 80,
    component ``backend``. The image is required.

    >>> from tiers import Backend
    >>> Backend("api", image="my-api:1.0").port
    80
    """

    kind: ClassVar[str] = "Backend"
    default_component: ClassVar[str | None] = "backend"

    ports: list[Port | int] = field(default_factory=lambda: [Port(8080, "http")])
    port: int | None = 80


@model
class Frontend(Tier):
    """A web frontend.

    Defaults: image ``nginxinc/nginx-unprivileged:1.27.3`` (nginx that runs as
    a non-root user), container port 8080 named ``http`` behind Service port 80,
    component ``frontend``.

    >>> from tiers import Frontend
    >>> Frontend("web").port
    80
    """

    kind: ClassVar[str] = "Frontend"
    default_component: ClassVar[str | None] = "frontend"

    image: str = FRONTEND_IMAGE
    ports: list[Port | int] = field(default_factory=lambda: [Port(8080, "http")])
    port: int | None = 80
