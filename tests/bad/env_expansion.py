"""Warnings: Kubernetes expands $(NAME) in env values, to an env var set before it."""

from tiers import App, Backend

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        env={
            "PRICE": "12",
            "GREETING": "price: $(PRICE)",
            "LATE": "$(LATER)",
            "LATER": "x",
            "TYPO": "$(PRICES)",
            "OPEN": "$(",
            "ESCAPED": "$$(PRICE)",
        },
    )
)
