"""A warning: Kubernetes expands $(NAME) in env values."""

from tiers import App, Backend

app = App("shop")
app.add(Backend("api", image="api:1.0", env={"GREETING": "price: $(PRICE)", "OK": "$$(x)"}))
