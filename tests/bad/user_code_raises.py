"""An exception in the app's own code: shown with the app's frames only."""

from tiers import App, Backend

app = App("shop")


def replicas(settings: dict[str, str]) -> int:
    return int(settings["replicas"])


app.add(Backend("api", image="api:1.0", replicas=replicas({"replicas": "three"})))
