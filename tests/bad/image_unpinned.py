"""Warnings only: an image with the tag 'latest' or with no tag."""

from tiers import App, Backend, Tier

app = App("shop")
app.add(Backend("api", image="registry.example.com:5000/team/api:latest"))
app.add(Tier("worker", image="busybox", service="None"))
app.add(Tier("pinned", image="busybox@sha256:" + "a" * 64, service="None"))
