"""Servers whose images need a credential, given none: each an error naming
the Secret to create."""

from tiers import App, MariaDB, MongoDB, Postgres, RabbitMQ, SecretKeyRef

app = App("shop")
app.add(Postgres("db"))
app.add(MariaDB("mariadb"))
app.add(MongoDB("mongo", env={"MONGO_INITDB_ROOT_USERNAME": SecretKeyRef("mongo", "user")}))
app.add(RabbitMQ("queue"))
