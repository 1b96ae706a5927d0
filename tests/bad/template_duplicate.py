"""Objects of user templates that another object of the app already is: a
Service tiers makes, and a ConfigMap both a tier and the app render."""

from pathlib import Path

from tiers import App, Backend

app = App("shop", extra_templates=[Path("templates/shared.yaml.j2")])
app.add(Backend("api", image="my-api:1.4.2", extra_templates=[Path("templates/duplicate.yaml.j2")]))
