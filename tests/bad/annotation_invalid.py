"""Annotation keys follow the label key rule; annotations fit in 256 KiB."""

from tiers import App, Backend, Service

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        annotations={"see docs": "https://example.com", "notes": "x" * 300_000},
        services=[Service("api", annotations={"/empty-name": "x"})],
    )
)
