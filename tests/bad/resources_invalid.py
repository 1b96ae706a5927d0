"""A CPU that is not a quantity, and a memory request above its limit."""

from tiers import App, Backend, Resources

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        resources=Resources(cpu="half a core", memory="1Gi", memory_limit="512Mi"),
    )
)
