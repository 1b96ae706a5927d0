from pathlib import Path

from tiers import App, Backend

app = App("shop", extra_templates=[Path("templates/syntax.yaml.j2")])
app.add(
    Backend(
        "api",
        image="my-api:1.0",
        extra_templates=[
            Path("templates/undefined.yaml.j2"),
            Path("templates/not_yaml.yaml.j2"),
            Path("templates/no_kind.yaml.j2"),
            Path("templates/missing.yaml.j2"),
            Path("templates/divide.yaml.j2"),
        ],
    )
)
