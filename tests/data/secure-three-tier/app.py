"""The seed's three-tier app as it should be written: pinned images, the
root password from a Secret managed outside Git, the frontend on the
unprivileged nginx image. Every checkov Kubernetes check passes except
CKV_K8S_43 (image digests), which needs the real digests of these images."""

from tiers import App, Backend, Frontend, MySQL, SecretKeyRef

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL(
        "mysql",
        env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-credentials", "root-password")},
    )
)
backend = app.add(
    Backend("backend", image="my-backend:1.4.2", replicas=2, env={"DB_HOST": mysql.host})
)
frontend = app.add(
    Frontend("frontend", replicas=3, service="LoadBalancer", env={"API_URL": backend.url()})
)
