"""The seed's multi-tier application: MySQL, a backend and a frontend.

The wiring is typed, not hand-written: ``DB_HOST`` resolves to
``mysql-service`` and ``API_URL`` to ``http://backend-service``.
"""

from tiers import App, Backend, Frontend, MySQL, Port

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL(
        "mysql",
        image="mysql:5.7",
        selector={"app": "mysql"},
        env={"MYSQL_ROOT_PASSWORD": "password"},
    )
)

backend = app.add(
    Backend(
        "backend",
        image="my-backend:latest",
        replicas=2,
        selector={"app": "backend"},
        env={"DB_HOST": mysql.host},
    )
)

frontend = app.add(
    Frontend(
        "frontend",
        image="my-frontend:latest",
        replicas=3,
        selector={"app": "frontend"},
        ports=[Port(80, "http")],
        service="LoadBalancer",
        env={"API_URL": backend.url()},
    )
)
