"""Env var names are C identifiers, the portable rule."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", env={"LOG-LEVEL": "debug", "2FA": "on", "app.mode": "x"}))
