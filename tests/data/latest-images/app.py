"""The negative control of the image-pinning checks: an image at ``:latest``,
which ``tiers validate`` warns about and checkov reports (CKV_K8S_14)."""

from tiers import App, Frontend, IngressFrom

app = App("latest", namespace="latest")
app.add(
    Frontend("web", image="nginx:latest", ingress_from=[IngressFrom(namespace="ingress-nginx")])
)
