"""The official images the kinds and examples pin, stood in for by Debian's
packages. Each stand-in starts Debian's build of the same server the way the
image starts it, and ships the image's own configuration where Debian's
differs: where Debian's build differs (binary paths, users, config
locations), the command line and files here are adapted, never the kind's
profile. Each difference is said beside it."""

from __future__ import annotations

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

NGINX_HTTP = """\
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # The image links its log files to the container's output.
    access_log /dev/stdout;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
"""

NGINX_TEMP = """\
    # The official image's build puts nginx's temporary files in
    # /var/cache/nginx; Debian's build puts them in /var/lib/nginx.
    client_body_temp_path /var/cache/nginx/client_temp;
    proxy_temp_path /var/cache/nginx/proxy_temp;
    fastcgi_temp_path /var/cache/nginx/fastcgi_temp;
    uwsgi_temp_path /var/cache/nginx/uwsgi_temp;
    scgi_temp_path /var/cache/nginx/scgi_temp;
"""

UNPRIVILEGED_TEMP = NGINX_TEMP.replace("/var/cache/nginx/", "/tmp/").replace(
    "official image's build puts", "unprivileged image's nginx.conf puts"
)


def _server(port: int) -> str:
    return (
        "server {\n"
        f"    listen {port};\n"
        "    server_name localhost;\n"
        "    location / {\n"
        "        root /usr/share/nginx/html;\n"
        "        index index.html index.htm;\n"
        "    }\n"
        "}\n"
    )


def nginx(unprivileged: bool, port: int | None = None) -> Image:
    """nginx (``nginx:*``) or nginx-unprivileged (``nginxinc/nginx-unprivileged:*``):
    the image's nginx.conf (no ``user``, pid in ``/tmp``, temporary files in
    ``/tmp``, port 8080 for the unprivileged one) in place of Debian's, which
    runs as ``www-data`` from ``/etc/nginx/sites-enabled``. The image's
    default.conf listens on 80 (8080 unprivileged), or on ``port`` for an
    image of the app's own built on it."""
    head = "pid /tmp/nginx.pid;\n" if unprivileged else "user nginx;\npid /var/run/nginx.pid;\n"
    temp = UNPRIVILEGED_TEMP if unprivileged else NGINX_TEMP
    conf = f"{head}worker_processes auto;\nevents {{ worker_connections 1024; }}\nhttp {{\n{NGINX_HTTP}{temp}}}\n"
    listen = port or (8080 if unprivileged else 80)
    return Image(
        # nginx -e stderr: the image's error log is its output (Debian's
        # compiled-in default is stderr too).
        entrypoint=("nginx", "-e", "stderr"),
        cmd=("-g", "daemon off;"),
        files={"/etc/nginx/nginx.conf": conf, "/etc/nginx/conf.d/default.conf": _server(listen)},
    )


REDIS = Image(
    # The official image runs redis-server without a config file from /data,
    # as Debian's redis-server does without arguments (its /etc/redis is unused).
    entrypoint=("redis-server",),
    workdir="/data",
    dirs=("/data",),
)

APP_SERVER = """\
# An HTTP server standing in for the app's own image: 200 on every path.
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\\n")


http.server.ThreadingHTTPServer(("", int(sys.argv[1])), Handler).serve_forever()
"""


def app_server(port: int) -> Image:
    """The app's own HTTP service (a ``Backend``'s image is the user's): Python's
    http.server on the container's port, from ``/app``."""
    return Image(
        entrypoint=("python3", "-B", "/app/server.py", str(port)),
        files={"/app/server.py": APP_SERVER},
        workdir="/app",
    )
