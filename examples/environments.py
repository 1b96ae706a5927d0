"""One shop, three environments: dev, staging and prod.

The environments are the values of ``Env``; mypy checks that every mapping
below covers exactly those, and tiers checks the App each one returns like any
other. ``tiers build examples/environments.py --env prod -o deploy/prod``
builds prod; without ``--env``, the default (dev) is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tiers import App, Backend, Frontend, MySQL, SecretKeyRef, ServiceShortcut, environments

Env = Literal["dev", "staging", "prod"]


@dataclass(frozen=True)
class Settings:
    """What differs between the environments."""

    backend_tag: str
    backend_replicas: int
    frontend_replicas: int
    frontend_service: ServiceShortcut


SETTINGS: dict[Env, Settings] = {
    "dev": Settings("1.5.0-rc.2", 1, 1, "NodePort"),
    "staging": Settings("1.5.0-rc.2", 2, 2, "LoadBalancer"),
    "prod": Settings("1.4.2", 3, 4, "LoadBalancer"),
}


@environments(default="dev")
def app(env: Env) -> App:
    """The shop in ``env``: its own namespace, image tags, replicas and Service type."""
    settings = SETTINGS[env]
    shop = App("shop", namespace=f"shop-{env}")
    mysql = shop.add(
        MySQL(
            "mysql", env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-credentials", "root-password")}
        )
    )
    backend = shop.add(
        Backend(
            "backend",
            image=f"registry.example.com/shop/backend:{settings.backend_tag}",
            replicas=settings.backend_replicas,
            env={"DB_HOST": mysql.host, "LOG_LEVEL": "debug" if env == "dev" else "info"},
        )
    )
    shop.add(
        Frontend(
            "frontend",
            replicas=settings.frontend_replicas,
            service=settings.frontend_service,
            env={"API_URL": backend.url()},
        )
    )
    return shop
