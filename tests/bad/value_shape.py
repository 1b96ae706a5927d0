"""Values no check could walk: a patch that holds itself, a command list
inside itself, labels nested 500 deep."""

from tiers import App, Backend, Patch

loop: dict[str, object] = {}
loop["again"] = loop
args: list[object] = []
args.append(args)
deep: dict[str, object] = {}
level = deep
for _ in range(500):
    level["a"] = {}
    level = level["a"]  # type: ignore[assignment]

app = App("shop")
app.add(Backend("api", image="my-api:1.4.2", patches=[Patch("Deployment", {"spec": loop})]))
app.add(Backend("worker", image="my-api:1.4.2", args=args))  # type: ignore[arg-type]
app.add(Backend("web", image="my-api:1.4.2", patches=[Patch("Deployment", {"x": deep})]))
