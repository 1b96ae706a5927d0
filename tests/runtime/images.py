"""The images the kinds and examples pin, stood in for by Debian's packages,
and which stand-in a container gets (:func:`for_container`). Each stand-in
starts Debian's build of the same server the way the image starts it, and
ships the image's own configuration where Debian's differs: where Debian's
build differs (binary paths, users, config locations), the command line and
files are adapted, never the kind's profile. Each difference is said beside
it. Here the web servers, the app's own services and the node exporter; the
database and queue kinds' in :mod:`tests.runtime.servers`."""

from __future__ import annotations

from tests.runtime.harness import Image
from tests.runtime.servers import MARIADB, MEMCACHED, MYSQL, POSTGRES, RABBITMQ, REDIS

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
    events = "worker_processes auto;\nevents { worker_connections 1024; }\n"
    conf = f"{head}{events}http {{\n{NGINX_HTTP}{temp}}}\n"
    listen = port or (8080 if unprivileged else 80)
    return Image(
        # nginx -e stderr: the image's error log is its output (Debian's
        # compiled-in default is stderr too).
        entrypoint=("nginx", "-e", "stderr"),
        cmd=("-g", "daemon off;"),
        files={"/etc/nginx/nginx.conf": conf, "/etc/nginx/conf.d/default.conf": _server(listen)},
    )


APP_SERVER = """\
# An HTTP server standing in for the app's own image: 200 on every path.
import http.server
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\\n")


time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 0)  # a slow start: nothing listens
http.server.ThreadingHTTPServer(("", int(sys.argv[1])), Handler).serve_forever()
"""


def app_server(port: int, slow_start: float = 0) -> Image:
    """The app's own HTTP service (a ``Backend``'s image is the user's): Python's
    http.server on the container's port, from ``/app``; listening only after
    ``slow_start`` seconds, as a JVM service that loads for a while."""
    return Image(
        entrypoint=("python3", "-B", "/app/server.py", str(port), str(slow_start)),
        files={"/app/server.py": APP_SERVER},
        workdir="/app",
        runs_init=False,
    )


NODE_EXPORTER = Image(
    # The image's ENTRYPOINT is /bin/node_exporter; Debian's package names it
    # prometheus-node-exporter.
    entrypoint=("prometheus-node-exporter",),
)

OFFICIAL = {
    "mysql": MYSQL,
    "mariadb": MARIADB,
    "postgres": POSTGRES,
    "redis": REDIS,
    "rabbitmq": RABBITMQ,
    "memcached": MEMCACHED,
    "quay.io/prometheus/node-exporter": NODE_EXPORTER,
    "prom/node-exporter": NODE_EXPORTER,
}
"""Official images by repository (Docker Hub's ``library/`` implied)."""


def repository(image: str) -> str:
    """``image`` without its tag or digest: ``nginx:1.27`` is ``nginx``."""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    return name[: len(name) - len(last)] + last.split(":")[0]


def for_container(image: str, component: str | None, port: int | None) -> Image | None:
    """The stand-in for a container: the official image's, or for the app's own
    image a server of its tier's role on the container's first port (an nginx
    for a frontend, else an HTTP server); ``None`` for an image Debian does not
    package, or a container without a port."""
    repo = repository(image)
    if repo in OFFICIAL:
        return OFFICIAL[repo]
    if repo in ("nginx", "nginxinc/nginx-unprivileged"):
        return nginx(unprivileged=repo != "nginx")
    if repo == "php" and image.endswith("-apache"):
        return php_apache()
    if repo in UNPACKAGED or port is None:
        return None
    if component == "frontend":
        return nginx(unprivileged=True, port=port)
    return app_server(port)


UNPACKAGED = {
    "mongo": "MongoDB is not packaged in Debian (SSPL)",
    "fluent/fluent-bit": "not packaged in Debian",
    "envoyproxy/envoy": "not packaged in Debian",
}

APACHE_FOREGROUND = r"""#!/bin/sh
# The official php image's apache2-foreground: Debian's apache2 (the image is
# built on Debian's apache2 package) with its envvars, the run, lock and log
# directories made if missing, a stale pid file removed, apache2 in the
# foreground.
set -e
: "${APACHE_CONFDIR:=/etc/apache2}"
: "${APACHE_ENVVARS:=$APACHE_CONFDIR/envvars}"
if [ -f "$APACHE_ENVVARS" ]; then . "$APACHE_ENVVARS"; fi
mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
rm -f "$APACHE_PID_FILE"
exec apache2 -DFOREGROUND "$@"
"""

CMS_INDEX = """<?php
// The CMS's front page: it answers once it has stored a file in its uploads.
if (file_put_contents(__DIR__ . '/uploads/ready.txt', 'ok') === false) {
    http_response_code(500);
    exit("cannot write uploads\n");
}
echo "ok from PHP " . PHP_VERSION . "\n";
"""


def php_apache(index: str = CMS_INDEX) -> Image:
    """``php:*-apache``: Debian's apache2 with mod_php (Debian 12's PHP is 8.2),
    started by the image's apache2-foreground; its logs linked to the
    container's output as the image links them; the CMS's code in
    ``/var/www/html``."""
    logs = {"error.log": "/dev/stderr", "access.log": "/dev/stdout"}
    logs["other_vhosts_access.log"] = "/dev/stdout"
    return Image(
        entrypoint=("apache2-foreground",),
        files={
            "/usr/local/bin/apache2-foreground": APACHE_FOREGROUND,
            "/var/www/html/index.php": index,
        },
        links={f"/var/log/apache2/{name}": target for name, target in logs.items()},
        workdir="/var/www/html",
    )
