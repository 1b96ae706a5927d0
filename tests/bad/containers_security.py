"""Security and resources of a sidecar: pod-wide settings belong on the tier,
opt-outs are warnings at the sidecar's field, quantities are checked."""

from tiers import App, Backend, Container, Resources, Security

app = App("shop")
app.add(
    Backend(
        "api",
        image="api:1.0",
        sidecars=[
            Container(
                "agent",
                image="agent:1.0",
                security=Security(
                    fs_group=2000,
                    seccomp_profile="Unconfined",
                    read_only_root_filesystem=False,
                    run_as_user=0,
                ),
                resources=Resources(cpu="2", cpu_limit="1", memory="lots"),
            )
        ],
    )
)
