"""The seed's three-tier app as it should be written: every image pinned by
digest, the root password from a Secret managed outside Git, every tier on
tiers' restricted defaults. It passes every checkov Kubernetes check.

The seed's ``my-backend`` and ``my-frontend`` images are not public, so real
public images stand in for them; each digest is the multi-platform index that
the Docker Official Images record, docker-library/repo-info, gives for that tag
(https://github.com/docker-library/repo-info/blob/<commit>/<path>):

- ``mysql:8.4.11``: repos/mysql/remote/8.4.11.md at 0f0c69aaf7d364b2fd5a00f9141c6b51de83f2cb
- ``python:3.13-slim``: repos/python/remote/3.13-slim.md at 2986dca3a80cb11b70fc4599941096374ea9e509
- ``nginx:1.30.5``: repos/nginx/remote/1.30.5.md at 08b3b898fc18da523d5d6e30a868c60805acb3bc

The backend is Python's own HTTP server on 8080, probed on ``/``; the frontend
is the official nginx image on its default port 80, which tiers lets a non-root
process bind with the ``net.ipv4.ip_unprivileged_port_start`` sysctl, its
writable paths (``/var/cache/nginx``, ``/var/run``) on emptyDirs.
"""

from tiers import App, Backend, Frontend, MySQL, Port, Probes, SecretKeyRef

MYSQL = "mysql:8.4.11@sha256:85b9bf2e29cf836ecb8c2a15a935d4ba0c606631dff1dd79531a11983c638f2a"
PYTHON = "python:3.13-slim@sha256:9662417aace5ae7b8e2609cce472b72a8958e134ba372808abe9cc1a0c0125e6"
NGINX = "nginx:1.30.5@sha256:e9f347c65f318767714e8b0eccfd6b558d00fb92630791fb6cd901fcdf7f6fdd"

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL(
        "mysql",
        image=MYSQL,
        env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-credentials", "root-password")},
    )
)
backend = app.add(
    Backend(
        "backend",
        image=PYTHON,
        command=["python3", "-m", "http.server", "8080", "--directory", "/usr/share/doc"],
        replicas=2,
        probes=Probes("/"),
        env={"DB_HOST": mysql.host},
    )
)
frontend = app.add(
    Frontend(
        "frontend",
        image=NGINX,
        ports=[Port(80, "http")],
        replicas=3,
        service="LoadBalancer",
        env={"API_URL": backend.url()},
    )
)
