"""The grammars of ``tiers.checks.formats``: image references (the OCI
distribution grammar), URL paths, cluster domains."""

from __future__ import annotations

import pytest

from tiers.checks.formats import cluster_domain, image_reference, url_path

DIGEST = "sha256:" + "0123456789abcdef" * 4

VALID_IMAGES = [
    "nginx",
    "nginx:1.27.3",
    "library/nginx:1.27",
    "docker.io/library/nginx:1.27",
    "registry.example.com:5000/team/app:1.2",
    "localhost:5000/app",
    "localhost/app:1",
    "[::1]:5000/app:1",
    "192.168.0.1:5000/app",
    "REGISTRY.example.com/app:1",
    "my_backend:latest",
    "a__b/c---d:1",
    "a.b_c/d:v1.0-rc_1",
    f"busybox@{DIGEST}",
    f"busybox:1.36@{DIGEST}",
    "app:" + "x" * 128,
    "a" * 255,
]

INVALID_IMAGES = {
    "UPPER/Case:tag!!": "the tag 'tag!!'",
    "Nginx:1.27": "the path 'Nginx' must be lowercase: use 'nginx:1.27'",
    "docker.io/Library/nginx": "the path 'Library' must be lowercase",
    "app:-x": "the tag '-x'",
    "app:.x": "the tag '.x'",
    "app:" + "x" * 129: "(129 characters)",
    "app@sha256:zz": "the digest 'sha256:zz'",
    "app@sha256:" + "a" * 31: "is not algorithm:hex",
    "a" * 256: "its name is 256 characters long",
    "-app:1": "the path '-app'",
    "app_:1": "the path 'app_'",
    "a...b:1": "the path 'a...b'",
    "app//x:1": "the path ''",
    "app:": "",
    "": "it is empty",
}


@pytest.mark.parametrize("image", VALID_IMAGES)
def test_valid_image_references(image: str) -> None:
    assert image_reference(image) is None


@pytest.mark.parametrize("image", list(INVALID_IMAGES), ids=range(len(INVALID_IMAGES)))
def test_invalid_image_references_say_what_breaks(image: str) -> None:
    problem = image_reference(image)
    assert problem is not None
    assert INVALID_IMAGES[image] in problem


@pytest.mark.parametrize("path", ["", "/", "/api/v1", "/a?b=c&d=e#f", "/%20x", "/~user/(x)"])
def test_valid_url_paths(path: str) -> None:
    assert url_path(path) is None


@pytest.mark.parametrize(
    ("path", "fix"), [("x\ny", "%0A"), ("/a b", "%20"), ("/%zz", "%25"), ("/é", "%C3%A9")]
)
def test_invalid_url_paths_give_the_encoding(path: str, fix: str) -> None:
    problem = url_path(path)
    assert problem is not None and fix in problem


@pytest.mark.parametrize("domain", ["cluster.local", "k8s.example.com", "local"])
def test_valid_cluster_domains(domain: str) -> None:
    assert cluster_domain(domain) is None


@pytest.mark.parametrize(
    ("domain", "example"),
    [("bad domain..", "bad.domain"), ("Cluster.Local.", "cluster.local"), ("", "cluster.local")],
)
def test_invalid_cluster_domains(domain: str, example: str) -> None:
    problem = cluster_domain(domain)
    assert problem is not None and f"'{example}'" in problem


def test_the_doctests_run() -> None:
    import doctest

    import tiers.checks.formats

    failures, tried = doctest.testmod(tiers.checks.formats)
    assert failures == 0 and tried >= 2
