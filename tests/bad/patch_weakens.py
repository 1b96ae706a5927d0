"""A patch that turns off the secure defaults: each weakening is a warning at
the patch, as the typed opt-out would be, and the Namespace follows."""

from tiers import App, Backend, Patch

app = App("shop")
pod = {
    "hostNetwork": True,
    "hostPID": True,
    "automountServiceAccountToken": True,
    "securityContext": {"runAsUser": 0, "seccompProfile": {"type": "Unconfined"}},
    "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
    "containers": [
        {
            "name": "api",
            "securityContext": {"privileged": True, "capabilities": {"add": ["SYS_ADMIN"]}},
            "resources": None,
            "livenessProbe": None,
        },
    ],
}
app.add(
    Backend(
        "api",
        image="my-api:1.4.2",
        patches=[
            Patch("Deployment", {"spec": {"template": {"spec": pod}}}),
            Patch(
                "Deployment",
                {
                    "spec": {
                        "template": {
                            "spec": {
                                "containers": [
                                    {"name": "helper", "image": "busybox:1.36", "ports": []}
                                ]
                            }
                        }
                    }
                },
            ),
        ],
    )
)
