"""Every capability beyond Deployment and Service in one app: an Ingress
with TLS, a Gateway API HTTPRoute, autoscaling, disruption budgets, topology spread, ConfigMaps from
literals and files (mounted and read as env), user templates, and more
containers: a log-shipping sidecar and a migration init container."""

from pathlib import Path

from tiers import (
    App,
    Autoscale,
    Backend,
    ConfigMap,
    Container,
    DisruptionBudget,
    Frontend,
    GatewayRef,
    HTTPRoute,
    Ingress,
    IngressController,
    MySQL,
    NotSecret,
    Patch,
    Port,
    Resources,
    SecretKeyRef,
)

app = App(
    "shop",
    namespace="shop",
    ingress_controller=IngressController(
        "ingress-nginx",
        pod_labels={"app.kubernetes.io/name": "ingress-nginx"},
        ingress_class="nginx",
    ),
    extra_templates=[Path("templates/resourcequota.yaml.j2")],
)

settings = ConfigMap("shop-settings", data={"log_level": "info", "currency": "EUR"})
nginx_conf = ConfigMap("frontend-nginx", files={"default.conf": Path("config/default.conf")})

mysql = app.add(
    MySQL("mysql", env={"MYSQL_DATABASE": "shop", "MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")})
)
NDOTS = {"name": "ndots", "value": "2"}  # fewer search-domain lookups per external name

backend = app.add(
    Backend(
        "backend",
        image="registry.example.com/shop/backend:1.4.2",
        autoscale=Autoscale(min_replicas=2, max_replicas=10, cpu=70, memory=80),
        disruption_budget=DisruptionBudget(max_unavailable="25%"),
        termination_grace_period_seconds=60,  # in-flight requests finish on shutdown
        # The escape hatch, for a field tiers does not model: checked against the
        # Kubernetes schema after it is applied.
        patches=[
            Patch(
                "Deployment",
                {"spec": {"template": {"spec": {"dnsConfig": {"options": [NDOTS]}}}}},
            )
        ],
        env={
            "DB_HOST": mysql.host,
            "DB_PORT": mysql.port_ref(),
            "LOG_LEVEL": settings.key("log_level"),
            "CURRENCY": settings.key("currency"),
        },
        route=HTTPRoute(
            gateway=GatewayRef("public", namespace="gateways", section_name="https"),
            hostnames=["api.shop.example.com"],
        ),
        extra_templates=[Path("templates/serviceaccount.yaml.j2")],
        sidecars=[
            Container(
                "log-shipper",
                image="fluent/fluent-bit:3.1.9",
                ports=[Port(2020, "metrics")],
                env={"LOG_LEVEL": settings.key("log_level")},
                resources=Resources(cpu="20m", memory="32Mi"),
            )
        ],
        init_containers=[
            Container(
                "migrate",
                image="registry.example.com/shop/backend:1.4.2",
                command=["/app/migrate", "--wait"],
                env={
                    "DB_HOST": mysql.host,
                    "DB_PORT": mysql.port_ref(),
                    "DB_PASSWORD": SecretKeyRef(
                        "backend-db", "password", file_env="DB_PASSWORD_FILE"
                    ),
                },
            )
        ],
    )
)
frontend = app.add(
    Frontend(
        "frontend",
        replicas=3,
        mounts={"/etc/nginx/conf.d": nginx_conf},
        env={"API_URL": backend.url(), "LOG_LEVEL": settings.key("log_level")},
        ingress=Ingress(host="shop.example.com", tls_secret="shop-tls"),
        extra_templates=[Path("templates/serviceaccount.yaml.j2")],
    )
)
