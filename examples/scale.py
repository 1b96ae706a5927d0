"""The multi-tier shop repeated ``SHOP_COPIES`` times (environment variable,
default 1), each copy with its own names: a workload for benchmarks."""

import os

from tiers import App, Backend, Frontend, MySQL, NotSecret

COPIES = int(os.environ.get("SHOP_COPIES", "1"))

app = App("shops", namespace="shops")

for copy in range(COPIES):
    mysql = app.add(
        MySQL(
            f"mysql-{copy}",
            env={"MYSQL_DATABASE": "shop", "MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")},
        )
    )
    backend = app.add(
        Backend(
            f"backend-{copy}",
            image="my-backend:1.4.2",
            replicas=2,
            env={"DB_HOST": mysql.host, "DB_PORT": mysql.port_ref()},
        )
    )
    app.add(
        Frontend(
            f"frontend-{copy}",
            replicas=3,
            service="LoadBalancer",
            env={"API_URL": backend.url()},
        )
    )
