"""Label values: at most 63 letters, digits, '-', '_' and '.'."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", labels={"owner": "team@example.com", "v": "1" * 64}))
