"""User templates emit a privileged Pod and a password in a ConfigMap: judged
as emitted, at extra_templates, and the Namespace admits the Pod."""

from pathlib import Path

from tiers import App, Backend

app = App("shop", extra_templates=[Path("templates/config_with_password.yaml.j2")])
app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        extra_templates=[Path("templates/privileged_pod.yaml.j2")],
    )
)
