"""Protocols are TCP, UDP or SCTP, spelled in capitals."""

from tiers import App, Port, Tier

app = App("shop")
app.add(Tier("dns", image="coredns:1.11", ports=[Port(53, "dns", protocol="udp")]))
