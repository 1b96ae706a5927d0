"""Which tier kind knows an image: the one table from an image's repository
to the kind whose profile holds what it needs.

A general :class:`~tiers.Tier` on one of these images is warned about (the
kind knows its user, data directory and probes); ``tiers import`` makes the
kind of a workload from it.

>>> kind_for_image("docker.io/library/postgres:16").__name__
'Postgres'
>>> kind_for_image("registry.example.com/shop/api:1.0") is None
True
"""

from __future__ import annotations

from tiers.model.app import Tier
from tiers.model.kinds import Frontend, MySQL
from tiers.model.servers import MariaDB, Memcached, MongoDB, Postgres, RabbitMQ, Redis

IMAGE_KINDS: dict[str, type[Tier]] = {
    "postgres": Postgres,
    "redis": Redis,
    "mariadb": MariaDB,
    "mysql": MySQL,
    "mongo": MongoDB,
    "rabbitmq": RabbitMQ,
    "memcached": Memcached,
    "nginx": Frontend,
    "nginxinc/nginx-unprivileged": Frontend,
}
"""Image repository (as Docker Hub names it) → the kind for it. ``nginx``
maps to :class:`~tiers.Frontend`, which runs nginx's unprivileged image."""

_HUB_PREFIXES = ("docker.io/library/", "index.docker.io/library/", "docker.io/", "library/")


def repository(image: str) -> str:
    """An image reference's repository without tag, digest or Docker Hub's
    implicit prefixes: ``docker.io/library/postgres:16`` → ``postgres``."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    for prefix in _HUB_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def kind_for_image(image: str) -> type[Tier] | None:
    """The kind tiers has for ``image``'s repository, if any."""
    return IMAGE_KINDS.get(repository(image))
