from tiers import App, Frontend, GatewayRef, HTTPRoute

hosts = [f"shop{i}.example.com" for i in range(17)]
app = App("shop")
app.add(Frontend("web", route=HTTPRoute(gateway=GatewayRef("public"), hostnames=hosts)))
