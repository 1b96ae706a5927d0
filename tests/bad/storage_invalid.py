"""A volume size that is not a quantity, a general tier's storage without a
mount path, and a sub path that leaves the volume."""

from tiers import App, MySQL, NotSecret, Storage, Tier

app = App("shop")
app.add(
    MySQL(
        "mysql", env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, storage=Storage("ten gigs")
    )
)
app.add(Tier("cache", image="cache:1.0", ports=[6379], storage=Storage("1Gi")))
app.add(
    Tier(
        "queue",
        image="queue:1.0",
        ports=[5672],
        storage=Storage(mount_path="/q", sub_path="../etc"),
    )
)
