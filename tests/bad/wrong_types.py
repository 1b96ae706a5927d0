"""Values of the wrong type, and a misspelled field."""

from tiers import App, Backend, Port

app = App("shop")
app.add(
    Backend(
        "api",
        image=3,
        replicas="2",
        ports=[Port("8080")],
        env={"DEBUG": True},
        replica=2,
    )
)
app.add("web")
