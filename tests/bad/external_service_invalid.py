"""An ExternalService's name and namespace follow the Service and Namespace rules."""

from tiers import App, Backend, ExternalService

app = App("shop")
ldap = app.add(ExternalService("LDAP_Server", namespace="identity_ns", ports=[389]))
app.add(Backend("api", image="api:1.0", env={"LDAP_HOST": ldap.host}))
