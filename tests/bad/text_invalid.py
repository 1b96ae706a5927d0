"""Strings UTF-8 cannot carry: lone surrogates, as os.fsdecode makes of
bytes that are not UTF-8, in an env value, an env name and a patch's key."""

from tiers import App, Backend, Patch

app = App("shop")
app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        env={"GREETING": "caf\udce9", "\udcff": "x"},
        patches=[Patch("Deployment", {"metadata": {"annotations": {"note\udcff": "x"}}})],
    )
)
