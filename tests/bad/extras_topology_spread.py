from tiers import App, Backend, TopologySpread

app = App("shop")
app.add(Backend("api", image="my-api:1.0", replicas=3, topology_spread=TopologySpread(max_skew=0)))
