"""An ExternalService's name and namespace follow the Service and Namespace rules."""

from tiers import App, Backend, ExternalService

app = App("shop")
ldap = app.add(ExternalService("LDAP_Server", namespace="identity_ns", ports=[389]))
app.add(Backend("api", image="api:1.0", env={"LDAP_HOST": ldap.host}))
bad = app.add(ExternalService("cache", namespace="data", ports=["6379"]))
app.add(Backend("web", image="web:1.0", env={"CACHE_HOST": bad.host}))
far = app.add(ExternalService("mail", namespace="mail", ports=[70000]))
