"""Warnings: each opt-out of the restricted Pod Security Standard, probes
switched off or identical; an error: root while runAsNonRoot stays on."""

from tiers import App, Probe, Probes, Security, Tier

app = App("legacy")
app.add(
    Tier(
        "old",
        image="old:3.2",
        ports=[8080],
        security=Security(
            run_as_user=0,
            read_only_root_filesystem=False,
            allow_privilege_escalation=True,
            add_capabilities=["NET_ADMIN"],
            seccomp_profile="Unconfined",
            automount_service_account_token=True,
        ),
        probes=Probes(liveness=False),
    )
)
app.add(Tier("worker", image="worker:1.0", ports=[9000], probes=False))
same = Probe(period_seconds=10)
app.add(Tier("twin", image="twin:1.0", ports=[7000], probes=Probes(readiness=same, liveness=same)))
