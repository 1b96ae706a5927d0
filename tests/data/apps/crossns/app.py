"""A shop whose tiers live in three namespaces: Keycloak in ``identity``
(reading users from an LDAP server another team runs in ``directory``),
OpenSearch in ``search``, the API and its frontend in ``shop``; the reporting
team's dashboards, in their own namespace, read the API too."""

from tiers import App, Backend, ExternalService, Frontend, IngressFrom, Port, Tier

app = App("shop")

ldap = app.add(ExternalService("openldap", namespace="directory", ports=[389]))
auth = app.add(
    Tier(
        "keycloak",
        image="quay.io/keycloak/keycloak:25.0.2",
        namespace="identity",
        ports=[Port(8080, "http")],
        env={"KC_LDAP_URL": "ldap://{}:{}".format(ldap.host, ldap.port_ref())},  # noqa: UP032
    )
)
search = app.add(
    Tier(
        "opensearch",
        image="opensearchproject/opensearch:2.15.0",
        namespace="search",
        ports=[Port(9200, "http")],
    )
)
api = app.add(
    Backend(
        "api",
        image="registry.example.com/shop/api:5.0.0",
        env={
            "OIDC_ISSUER": auth.url(path="/realms/shop"),
            "OPENSEARCH_HOSTS": f"http://{search.address()}",
        },
        ingress_from=[IngressFrom(namespace="reporting", ports=["http"])],
    )
)
app.add(
    Frontend(
        "web",
        image="registry.example.com/shop/web:5.0.0",
        service="LoadBalancer",
        env={"API_URL": api.url()},
    )
)
