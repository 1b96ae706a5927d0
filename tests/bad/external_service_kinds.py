"""ExternalName Services and Services without a selector, with what is wrong with them."""

from tiers import App, Backend, ExternalService

app = App("shop")
both = app.add(ExternalService("both", external_name="db.example.com", addresses=["10.0.0.1"]))
url = app.add(ExternalService("url", external_name="https://db.example.com", ports=[5432]))
ip = app.add(ExternalService("ip", external_name="10.0.0.7", ports=[5432]))
bad = app.add(
    ExternalService("legacy", addresses=["10.0.0.300", "127.0.0.1", "169.254.0.9"], ports=[389])
)
portless = app.add(ExternalService("portless", addresses=["10.0.0.8"]))
cidrs = app.add(
    ExternalService(
        "managed-db",
        external_name="db.example.com",
        ports=[5432],
        cidrs=["10.20.0.1/16", "10.30.0.0", "nonsense/8"],
    )
)
managed = app.add(ExternalService("queue", namespace="infra", ports=[5672], cidrs=["10.0.0.0/8"]))
open_db = app.add(ExternalService("open-db", external_name="db.example.net", ports=[5432]))
nowhere = app.add(ExternalService("nowhere", external_name="api.example.org"))
app.add(
    Backend(
        "api",
        image="api:1.0",
        env={"DB": open_db.host, "API": nowhere.host, "LEGACY": bad.host},
    )
)
