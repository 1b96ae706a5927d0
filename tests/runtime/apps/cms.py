"""A PHP CMS on the official ``php:8.2-apache`` image, as a general ``Tier``
written from the README's "Running any image": Apache writes its pid file
and its mutexes beside the read-only root (an emptyDir at each path), the CMS
keeps its uploads on a volume its group owns, and it listens on port 80."""

from tiers import App, Probes, Security, Storage, Tier

app = App("cms", namespace="cms")

cms = app.add(
    Tier(
        "cms",
        image="php:8.2.29-apache",
        ports=[80],
        security=Security(writable_paths=["/var/run/apache2", "/var/lock/apache2", "/tmp"]),
        storage=Storage("5Gi", mount_path="/var/www/html/uploads"),
        probes=Probes("/"),
        service="LoadBalancer",
    )
)
