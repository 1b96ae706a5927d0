from tiers import App, Autoscale, Backend

app = App("shop")
app.add(Backend("api", image="my-api:1.0", autoscale=Autoscale(min_replicas=4, max_replicas=2)))
app.add(Backend("jobs", image="my-jobs:1.0", autoscale=Autoscale(max_replicas=3, cpu=0)))
