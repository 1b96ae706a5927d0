"""The official images of the database and queue kinds, stood in for by
Debian's packages: each image's entrypoint as a script that does what the
official one does to the filesystem and with its environment, its config
files where Debian's differ, and its user at the image's uid. Where Debian's
build differs, these files and command lines are adapted, never the kind's
profile; each difference is said beside it."""

from __future__ import annotations

from tests.runtime import harness
from tests.runtime.harness import Image

MYSQL_CNF = """\
# The official mysql image's /etc/my.cnf (mysql:8.4 and 5.7), read by Debian's
# MariaDB as /etc/mysql/my.cnf. Debian's own config is not included: it binds
# to 127.0.0.1 and puts the pid file in /run/mysqld. MySQL 8.4's
# host-cache-size is MariaDB's skip-host-cache.
[mysqld]
skip-host-cache
skip-name-resolve
datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
secure-file-priv=/var/lib/mysql-files
user=mysql
pid-file=/var/run/mysqld/mysqld.pid

[client]
socket=/var/run/mysqld/mysqld.sock
"""

MYSQL_ENTRYPOINT = r"""#!/bin/sh
# What the official mysql image's docker-entrypoint.sh does to the filesystem
# and with its environment: read each *_FILE variable, refuse an uninitialized
# database without a password option, initialize the data directory, create
# the root account, database and user, then exec the server. The official one
# initializes with `mysqld --initialize-insecure` and a temporary server on its
# socket; Debian's MariaDB does it with mariadb-install-db and --init-file.
set -eu
for var in MYSQL_ROOT_PASSWORD MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD; do
    eval "file=\${${var}_FILE:-}"
    if [ -n "$file" ]; then export "$var=$(cat "$file")"; fi
done
if [ ! -d /var/lib/mysql/mysql ]; then
    if [ -z "${MYSQL_ROOT_PASSWORD:-}" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] \
        && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        echo >&2 'error: database is uninitialized and password option is not specified'
        exit 1
    fi
    if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
        MYSQL_ROOT_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    fi
    # Debian's mariadb-install-db chowns the data directory to my.cnf's user;
    # mysqld --initialize does not when it is not root: --user= keeps it so.
    mariadb-install-db --user= --auth-root-authentication-method=normal --skip-test-db >/dev/null
    pw=$(printf %s "${MYSQL_ROOT_PASSWORD:-}" | sed "s/'/''/g")
    {
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';"
        echo "CREATE USER 'root'@'%' IDENTIFIED BY '$pw';"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
        if [ -n "${MYSQL_DATABASE:-}" ]; then echo "CREATE DATABASE \`$MYSQL_DATABASE\`;"; fi
        if [ -n "${MYSQL_USER:-}" ]; then
            echo "CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY '${MYSQL_PASSWORD:-}';"
            if [ -n "${MYSQL_DATABASE:-}" ]; then
                echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
            fi
        fi
    } > /tmp/init.sql
    exec "$@" --init-file=/tmp/init.sql
fi
exec "$@"
"""

MYSQL = Image(
    # Debian's server binary is mariadbd (MariaDB); the image's is mysqld.
    entrypoint=("/usr/local/bin/docker-entrypoint.sh",),
    cmd=("mariadbd",),
    files={"/usr/local/bin/docker-entrypoint.sh": MYSQL_ENTRYPOINT, "/etc/mysql/my.cnf": MYSQL_CNF},
)


def _accounts(user: str, uid: int, home: str) -> dict[str, str]:
    """The image's /etc/passwd and /etc/group: Debian's, with the image's own
    user at its uid (the package's user has another uid on the host)."""
    passwd = [ln for ln in _read("/etc/passwd") if not ln.startswith(f"{user}:")]
    group = [ln for ln in _read("/etc/group") if not ln.startswith(f"{user}:")]
    passwd.append(f"{user}:x:{uid}:{uid}::{home}:/bin/sh")
    group.append(f"{user}:x:{uid}:")
    return {"/etc/passwd": "\n".join(passwd) + "\n", "/etc/group": "\n".join(group) + "\n"}


def _read(path: str) -> list[str]:
    with open(path) as f:
        return f.read().splitlines()


FILE_ENV = r"""
# file_env: VAR from VAR_FILE, as the official entrypoints do.
for var in $FILE_VARS; do
    eval "file=\${${var}_FILE:-}"
    if [ -n "$file" ]; then export "$var=$(cat "$file")"; fi
done
"""

POSTGRES_BIN = "/usr/lib/postgresql/15/bin"
"""Debian 12's PostgreSQL is 15 (the image: 17); its binaries are here, put
first on PATH as the image puts /usr/lib/postgresql/17/bin."""

POSTGRES_ENTRYPOINT = (
    r"""#!/bin/sh
# The official postgres image's docker-entrypoint.sh, its steps on the
# filesystem: PGDATA created and set to 0700, the socket directory, and on an
# empty PGDATA: the password required, initdb, scram-sha-256 for network
# clients, the database created by a temporary server on the socket only.
set -eu
FILE_VARS="POSTGRES_PASSWORD POSTGRES_USER POSTGRES_DB POSTGRES_INITDB_ARGS"
"""
    + FILE_ENV
    + r"""
mkdir -p "$PGDATA"
chmod 00700 "$PGDATA" || :
mkdir -p /var/run/postgresql
chmod 03775 /var/run/postgresql || :
user=${POSTGRES_USER:-postgres}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
        echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
        exit 1
    fi
    # initdb wants the uid in /etc/passwd: for an arbitrary uid the image's
    # entrypoint gives it one through nss_wrapper, for initdb only (its glob
    # finds Debian's multiarch libnss_wrapper.so too).
    if ! getent passwd "$(id -u)" >/dev/null; then
        for wrapper in /usr/lib/libnss_wrapper.so /usr/lib/*/libnss_wrapper.so; do
            [ -s "$wrapper" ] || continue
            NSS_WRAPPER_PASSWD=$(mktemp)
            NSS_WRAPPER_GROUP=$(mktemp)
            echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$PGDATA:/bin/false" >"$NSS_WRAPPER_PASSWD"
            echo "postgres:x:$(id -g):" >"$NSS_WRAPPER_GROUP"
            export LD_PRELOAD="$wrapper" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
            break
        done
    fi
    printf '%s\n' "$POSTGRES_PASSWORD" | initdb --username="$user" --pwfile=/dev/stdin \
        ${POSTGRES_INITDB_ARGS:-} >/dev/null
    if [ -n "${LD_PRELOAD:-}" ]; then
        rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
        unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
    fi
    # The image's Dockerfile sets listen_addresses = '*' in the sample config;
    # Debian's sample keeps 'localhost'.
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
    db=${POSTGRES_DB:-$user}
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$db" != postgres ]; then
        psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -c "CREATE DATABASE \"$db\";"
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec "$@"
"""
)

POSTGRES = Image(
    entrypoint=("/usr/local/bin/docker-entrypoint.sh",),
    cmd=("postgres",),
    files={
        "/usr/local/bin/docker-entrypoint.sh": POSTGRES_ENTRYPOINT,
        **_accounts("postgres", 999, "/var/lib/postgresql"),
    },
    env={
        "PGDATA": "/var/lib/postgresql/data",
        "PATH": f"{POSTGRES_BIN}:{harness.PATH}",
    },
)

REDIS = Image(
    # The official image runs redis-server without a config file in /data,
    # as Debian's redis-server does without arguments (/etc/redis is unused).
    # The image's build turns protected mode off by default (its Dockerfile
    # patches config.c); Debian's keeps it on, which refuses every client but
    # loopback: --protected-mode no says what the image's default is.
    entrypoint=("redis-server", "--protected-mode", "no"),
    workdir="/data",
    dirs=("/data",),
    files=_accounts("redis", 999, "/home/redis"),
)

MARIADB_CNF = """\
# The official mariadb image's configuration: Debian's, with bind-address and
# user commented out and name resolution off (05-skipcache.cnf). Debian's
# mariadb.conf.d is not read, for its bind-address = 127.0.0.1.
[client-server]
socket = /run/mysqld/mysqld.sock

[mysqld]
pid-file = /run/mysqld/mysqld.pid
basedir = /usr
skip-host-cache
skip-name-resolve
character-set-server = utf8mb4
"""

MARIADB_ENTRYPOINT = (
    r"""#!/bin/sh
# The official mariadb image's docker-entrypoint.sh, its steps on the
# filesystem: *_FILE variables, a root password required on an empty data
# directory, mariadb-install-db, the root account, database and user, and the
# healthcheck user whose credentials go to the data directory's
# .my-healthcheck.cnf (read by healthcheck.sh). The official one runs the SQL
# on a temporary server without networking; here it is --init-file.
set -eu
FILE_VARS="MARIADB_ROOT_PASSWORD MARIADB_PASSWORD MARIADB_USER MARIADB_DATABASE
MYSQL_ROOT_PASSWORD MYSQL_PASSWORD MYSQL_USER MYSQL_DATABASE"
"""
    + FILE_ENV
    + r"""
root=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
random=${MARIADB_RANDOM_ROOT_PASSWORD:-${MYSQL_RANDOM_ROOT_PASSWORD:-}}
database=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
if [ ! -d /var/lib/mysql/mysql ]; then
    if [ -z "$root" ] && [ -z "$random" ] && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
        echo >&2 'error: Database is uninitialized and password option is not specified'
        exit 1
    fi
    [ -n "$random" ] && root=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    mariadb-install-db --user= --auth-root-authentication-method=normal --skip-test-db \
        --datadir=/var/lib/mysql >/dev/null
    check=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '[mariadb-client]\nport=3306\nuser=healthcheck\npassword=%s\nprotocol=tcp\n' \
        "$check" > /var/lib/mysql/.my-healthcheck.cnf
    {
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root';"
        echo "CREATE USER 'root'@'%' IDENTIFIED BY '$root';"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
        echo "CREATE USER 'healthcheck'@'127.0.0.1' IDENTIFIED BY '$check';"
        echo "GRANT USAGE ON *.* TO 'healthcheck'@'127.0.0.1';"
        [ -n "$database" ] && echo "CREATE DATABASE \`$database\`;"
    } > /tmp/init.sql
    exec "$@" --init-file=/tmp/init.sql
fi
exec "$@"
"""
)

MARIADB_HEALTHCHECK = r"""#!/bin/sh
# The official mariadb image's healthcheck.sh, for --connect and
# --innodb_initialized: as the healthcheck user (credentials in the data
# directory), over TCP, InnoDB reported ready.
set -eu
cnf=/var/lib/mysql/.my-healthcheck.cnf
for test in "$@"; do
    case "$test" in
        --connect) mariadb --defaults-extra-file=$cnf -h 127.0.0.1 -e 'select 1' >/dev/null ;;
        --innodb_initialized)
            [ "$(mariadb --defaults-extra-file=$cnf -h 127.0.0.1 --skip-column-names -e \
                "select 1 from information_schema.ENGINES where engine='InnoDB' \
                 and support in ('YES', 'DEFAULT', 'ENABLED')")" = 1 ] ;;
        *) echo >&2 "healthcheck.sh: $test is not reproduced"; exit 2 ;;
    esac
done
"""

MARIADB = Image(
    entrypoint=("/usr/local/bin/docker-entrypoint.sh",),
    cmd=("mariadbd",),
    files={
        "/usr/local/bin/docker-entrypoint.sh": MARIADB_ENTRYPOINT,
        "/usr/local/bin/healthcheck.sh": MARIADB_HEALTHCHECK,
        "/etc/mysql/my.cnf": MARIADB_CNF,
        **_accounts("mysql", 999, "/var/lib/mysql"),
    },
)

RABBITMQ_CONF = """\
# The official rabbitmq image's /etc/rabbitmq/conf.d/10-defaults.conf (it also
# ships 20-management_agent.disable_metrics_collector.conf, for the
# management plugin Debian's package does not enable). Debian's 3.10 reads
# conf.d/*.conf as 4.1 does; the listener is its default, said here.
loopback_users.guest = false
listeners.tcp.default = 5672
log.console = true
"""

RABBITMQ = Image(
    # Debian's /usr/sbin/rabbitmq-server wrapper runs only as root or its
    # rabbitmq user (uid 106 here); the scripts it wraps are the image's
    # /opt/rabbitmq/sbin, first on PATH as in the image. Debian's RabbitMQ is
    # 3.10 (the image: 4.1); both read default_user/default_pass from conf.d.
    entrypoint=("rabbitmq-server",),
    files={
        "/etc/rabbitmq/conf.d/10-defaults.conf": RABBITMQ_CONF,
        **_accounts("rabbitmq", 999, "/var/lib/rabbitmq"),
    },
    env={
        "PATH": f"/usr/lib/rabbitmq/bin:{harness.PATH}",
        "HOME": "/var/lib/rabbitmq",
        "RABBITMQ_DATA_DIR": "/var/lib/rabbitmq",
    },
)

MEMCACHED = Image(
    # The image's CMD is memcached, its USER memcache (11211; Debian's is 105).
    entrypoint=("memcached",),
    files=_accounts("memcache", 11211, "/home/memcache"),
)
