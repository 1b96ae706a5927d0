"""A Cassandra ring whose headless Service carries CQL only: the gossip port
7000 is reached by nothing, so the members cannot form the ring."""

from tiers import App, Port, Storage, Tier

app = App("ring", namespace="ring")
app.add(
    Tier(
        "cassandra",
        image="cassandra:5.0.2",
        replicas=3,
        service="Headless",
        ports=[Port(7000, "intra-node"), Port(9042, "cql")],
        port=9042,
        storage=Storage("10Gi", mount_path="/var/lib/cassandra"),
    )
)
