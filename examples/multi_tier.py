"""The seed's multi-tier application: MySQL, a backend and a frontend.

The wiring is typed, not hand-written: ``DB_HOST`` resolves to
``mysql-service`` and ``API_URL`` to ``http://backend-service``.

The seed's ``MYSQL_ROOT_PASSWORD`` keeps its meaning without its value ever
reaching Git: it comes from the Secret ``mysql-credentials``, created outside
Git (``kubectl -n shop create secret generic mysql-credentials
--from-literal=root-password=...``), and MySQL reads it from a mounted file
(``MYSQL_ROOT_PASSWORD_FILE``). The seed's ``:latest`` images are pinned
(``1.0.0``): a tag that moves makes each rollout run a different image.
"""

from tiers import App, Backend, Frontend, MySQL, Port, SecretKeyRef

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL(
        "mysql",
        image="mysql:5.7",
        selector={"app": "mysql"},
        env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-credentials", "root-password")},
    )
)

backend = app.add(
    Backend(
        "backend",
        image="my-backend:1.0.0",
        replicas=2,
        selector={"app": "backend"},
        env={"DB_HOST": mysql.host},
    )
)

frontend = app.add(
    Frontend(
        "frontend",
        image="my-frontend:1.0.0",
        replicas=3,
        selector={"app": "frontend"},
        ports=[Port(80, "http")],
        service="LoadBalancer",
        env={"API_URL": backend.url()},
    )
)
