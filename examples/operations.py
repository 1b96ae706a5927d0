"""The shop with what it takes to run it: a schema migration Job that runs
before the backend rolls out, a nightly report CronJob, the backend's own
ServiceAccount with a least-privilege Role (it reads one ConfigMap through the
Kubernetes API), a managed database outside the cluster reached through an
ExternalName Service, and a mail relay reached by its address through a
Service without a selector."""

from tiers import (
    App,
    Backend,
    CronJob,
    ExternalService,
    Frontend,
    Job,
    MySQL,
    Permission,
    SecretKeyRef,
    ServiceAccount,
)

BACKEND_IMAGE = "registry.example.com/shop/backend:1.4.2"

app = App("shop", namespace="shop")

mysql = app.add(
    MySQL(
        "mysql",
        env={"MYSQL_ROOT_PASSWORD": SecretKeyRef("mysql-credentials", "root-password")},
    )
)
orders_db = app.add(
    ExternalService(
        "orders-db",
        external_name="orders.db.example.com",
        ports=[5432],
        cidrs=["10.30.0.0/16"],
    )
)
mail = app.add(ExternalService("mail-relay", addresses=["10.20.0.25"], ports=[25]))

backend = app.add(
    Backend(
        "backend",
        image=BACKEND_IMAGE,
        replicas=2,
        env={
            "DB_HOST": mysql.host,
            "DB_PORT": mysql.port_ref(),
            "ORDERS_DB_HOST": orders_db.host,
        },
        service_account=ServiceAccount(
            permissions=[Permission(["configmaps"], ["get"], resource_names=["shop-flags"])]
        ),
    )
)
migrate = app.add(
    Job(
        "migrate",
        image=BACKEND_IMAGE,
        command=["/app/migrate", "up"],
        env={
            "DB_HOST": mysql.host,
            "DB_PORT": mysql.port_ref(),
            "DB_PASSWORD": SecretKeyRef(
                "mysql-credentials", "root-password", file_env="DB_PASSWORD_FILE"
            ),
        },
        before=[backend],
        backoff_limit=3,
        active_deadline_seconds=600,
    )
)
report = app.add(
    CronJob(
        "nightly-report",
        image="registry.example.com/shop/report:2.0.1",
        schedule="0 2 * * *",
        time_zone="Europe/Berlin",
        env={"API_URL": backend.url(path="/internal/report"), "SMTP_HOST": mail.host},
    )
)
frontend = app.add(
    Frontend(
        "frontend",
        image="registry.example.com/shop/frontend:2.0.1",
        replicas=2,
        service="LoadBalancer",  # the shop's public face
        env={"API_URL": backend.url()},
    )
)
