"""A product catalog on a three-node Cassandra ring (nodes gossip on their
``intra-node`` port, clients use CQL), read by an API whose replicas form a
Hazelcast cluster among themselves and which also reads a managed Postgres
outside the cluster, in the VPC's 10.20.0.0/16."""

from tiers import App, Backend, EgressTo, Ingress, Port, Storage, Tier

app = App("catalog")

cassandra = app.add(
    Tier(
        "cassandra",
        image="cassandra:5.0.0",
        replicas=3,
        ports=[Port(9042, "cql"), Port(7000, "intra-node")],
        port=9042,
        storage=Storage(size="50Gi", mount_path="/var/lib/cassandra"),
        peers=["intra-node"],
        env={"CASSANDRA_SEEDS": "cassandra-0.cassandra-headless"},
    )
)
app.add(
    Backend(
        "catalog-api",
        image="registry.example.com/catalog/api:7.3.0",
        replicas=3,
        ports=[Port(8080, "http"), Port(5701, "hazelcast")],
        port=8080,
        peers=["hazelcast"],
        env={
            "CASSANDRA_CONTACT_POINTS": "%s" % cassandra.host,  # noqa: UP031 (as authors write it)
            "CASSANDRA_PORT": cassandra.port_ref(9042),
            "PRICING_DB_URL": "postgres://pricing.db.internal.example.com:5432/pricing",
        },
        egress_to=[EgressTo(cidrs=["10.20.0.0/16"], ports=[5432])],
        ingress=Ingress(host="catalog.example.com"),
    )
)
