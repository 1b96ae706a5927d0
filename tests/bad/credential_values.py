"""Credentials where they hide: broader names, inside values, in arguments,
in ConfigMap data and in annotations. A placeholder Kubernetes expands, a
*_FILE path and a *_SECRET_NAME are not credentials."""

from tiers import App, Backend, ConfigMap, SecretKeyRef

settings = ConfigMap("api-settings", data={"password": "hunter2", "log_level": "debug"})
app = App("shop")
app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        args=["--user", "app", "--password", "hunter2"],
        annotations={"example.com/api-token": "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5"},
        env={
            "SECRETKEY": "abc",
            "dbPassword": "abc",
            "PASSPHRASE": "abc",
            "JWT": "abc",
            "BEARER": "abc",
            "SSH_PRIVKEY": "abc",
            "CONN_STR": "abc",
            "DATABASE_URL": "postgres://admin:hunter2@db/app",
            "DB_PASSWORD": SecretKeyRef("api-secrets", "db-password"),
            "SAFE_URL": "postgres://admin:$(DB_PASSWORD)@db/app",
            "PASSWORD_FILE": "/run/secrets/db",
            "DB_SECRET_NAME": "api-secrets",
            "LOG_LEVEL": settings.key("log_level"),
        },
    )
)
