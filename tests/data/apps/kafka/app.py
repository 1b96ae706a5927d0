"""Kafka on a ZooKeeper ensemble, as the Bitnami and Kubernetes tutorial
manifests wire them: ZooKeeper servers find each other through the headless
Service ``zk-hs`` (quorum 2888, leader election 3888), clients use ``zk-cs``;
brokers replicate to each other through ``kafka-headless``; Prometheus in
``monitoring`` scrapes the brokers' JMX exporter."""

from tiers import App, IngressFrom, Port, Service, ServicePort, Storage, Tier

app = App("streaming")

zookeeper = app.add(
    Tier(
        "zk",
        image="zookeeper:3.9.2",
        replicas=3,
        ports=[Port(2181, "client"), Port(2888, "server"), Port(3888, "leader-election")],
        services=[
            Service("zk-cs", ports=[ServicePort(2181, name="client")]),
            Service(
                "zk-hs",
                headless=True,
                ports=[ServicePort(2888, name="server"), ServicePort(3888, name="leader-election")],
            ),
        ],
        storage=Storage(size="10Gi", mount_path="/data"),
        env={
            "ZOO_SERVERS": " ".join(
                f"server.{i + 1}=zk-{i}.zk-hs:2888:3888;2181" for i in range(3)
            ),
        },
    )
)
prometheus = IngressFrom(
    namespace="monitoring", pods={"app.kubernetes.io/name": "prometheus"}, ports=["metrics"]
)
kafka = app.add(
    Tier(
        "kafka",
        image="bitnami/kafka:3.7.1",
        replicas=3,
        ports=[Port(9092, "kafka"), Port(5556, "metrics")],
        services=[
            Service("kafka", ports=[ServicePort(9092, name="kafka")]),
            Service("kafka-headless", headless=True, ports=[ServicePort(9092, name="kafka")]),
        ],
        storage=Storage(size="20Gi", mount_path="/bitnami/kafka"),
        env={"KAFKA_CFG_ZOOKEEPER_CONNECT": f"{zookeeper.address()}/kafka"},
        ingress_from=[prometheus],
    )
)
app.add(
    Tier(
        "orders-producer",
        image="registry.example.com/streaming/orders-producer:2.3.0",
        service="None",
        env={"KAFKA_BOOTSTRAP_SERVERS": kafka.address("kafka")},
    )
)
