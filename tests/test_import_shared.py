"""The imported app writes shared values once (``tiers.importer.shared``): an
image registry several images name becomes a constant, resources or security
settings several tiers write alike one value, and a list or mapping of a
literal too long for its line gets a name. The app means exactly what it
meant written out: it builds the same objects."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tiers.compiler import manifests
from tiers.importer import Options, import_sources
from tiers.importer.codegen import LINE_LENGTH
from tiers.importer.read import parse
from tiers.loader import load_app

REGISTRY = "gcr.io/google-samples/microservices-demo"
RESOURCES = {
    "requests": {"cpu": "100m", "memory": "64Mi"},
    "limits": {"cpu": "200m", "memory": "128Mi"},
}
PATCHED = {"name": "server", "volumeMounts": [{"mountPath": "/data", "name": "cache-data"}]}


def _deployment(name: str, image: str, resources: dict[str, Any], **pod: Any) -> dict[str, Any]:
    container = {
        "name": "server",
        "image": image,
        "ports": [{"containerPort": 8080}],
        "resources": resources,
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container], **pod},
            },
        },
    }


def _service(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [{"port": 8080}]},
    }


def _import(documents: list[dict[str, Any]], tmp_path: Path) -> tuple[str, Path]:
    text = yaml.safe_dump_all(documents, sort_keys=False)
    code = import_sources(parse(text, "in.yaml"), Options(name="shop")).code
    path = tmp_path / "shop.py"
    path.write_text(code)
    return code, path


def _built(path: Path) -> list[dict[str, Any]]:
    return manifests(load_app(str(path)))


def _written_out(code: str, constants: dict[str, str]) -> str:
    """``code`` with each constant written out where it is used, and not defined."""
    for name, value in constants.items():
        code = re.sub(rf"^{name} = .*\n", "", code, flags=re.M)
        code = code.replace(f'f"{{{name}}}/', f'"{value}/').replace(f"={name},", f"={value},")
    return code


def test_a_registry_and_resources_several_tiers_share_are_written_once(tmp_path: Path) -> None:
    documents = [
        _deployment("emailservice", f"{REGISTRY}/emailservice:v0.8.0", RESOURCES),
        _deployment("paymentservice", f"{REGISTRY}/paymentservice:v0.8.0", RESOURCES),
        _deployment("cache", "redis:7.2.4", {"requests": {"cpu": "50m"}}),
        *(_service(n) for n in ("emailservice", "paymentservice", "cache")),
    ]
    code, path = _import(documents, tmp_path)
    assert f'\nREGISTRY = "{REGISTRY}"\n' in code
    assert 'image=f"{REGISTRY}/emailservice:v0.8.0"' in code
    assert 'image=f"{REGISTRY}/paymentservice:v0.8.0"' in code
    resources = 'Resources("100m", "64Mi", cpu_limit="200m", memory_limit="128Mi")'
    assert f"\nRESOURCES = {resources}\n" in code
    assert code.count("resources=RESOURCES,") == 2
    assert code.count("Resources(") == 2  # the constant, and the cache's own
    assert 'image="redis:7.2.4"' in code  # a registry no other image shares stays written out
    written_out = tmp_path / "written_out.py"
    written_out.write_text(_written_out(code, {"REGISTRY": REGISTRY, "RESOURCES": resources}))
    assert "REGISTRY" not in written_out.read_text()
    assert _built(path) == _built(written_out)


def test_several_registries_are_named_by_their_last_part(tmp_path: Path) -> None:
    documents = [
        _deployment("a", "gcr.io/team-one/tools/a:1.0", {}),
        _deployment("b", "gcr.io/team-one/tools/b:1.0", {}),
        _deployment("c", "quay.io/team-two/c:2.0", {}),
        _deployment("d", "quay.io/team-two/d:2.0", {}),
    ]
    code, _ = _import(documents, tmp_path)
    assert 'TOOLS_REGISTRY = "gcr.io/team-one/tools"' in code
    assert 'TEAM_TWO_REGISTRY = "quay.io/team-two"' in code
    assert 'image=f"{TEAM_TWO_REGISTRY}/d:2.0"' in code


def test_a_nested_patch_is_written_in_named_parts_that_fit_their_lines(tmp_path: Path) -> None:
    volumes = [{"name": "cache-data", "emptyDir": {"medium": "Memory", "sizeLimit": "256Mi"}}]
    documents = [
        _deployment("cache", "redis:7.2.4", {}, volumes=volumes),
        _service("cache"),
    ]
    documents[0]["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = PATCHED[
        "volumeMounts"
    ]
    code, path = _import(documents, tmp_path)
    assert "\ncache_pod = " in code
    assert 'Patch("Deployment", {"spec": {"template": {"spec": cache_pod}}})' in code
    for line in code.splitlines():
        assert len(line) <= LINE_LENGTH, line
    nested = re.findall(r"^ +\"[^\"]+\": [\[{]$", code, flags=re.M)
    assert not nested, nested  # no mapping or list inside a literal spans several lines
    built = next(m for m in _built(path) if m["kind"] == "Deployment")
    pod = built["spec"]["template"]["spec"]
    assert pod["volumes"][-1] == volumes[0]
    assert {"mountPath": "/data", "name": "cache-data"} in pod["containers"][0]["volumeMounts"]


def test_the_written_app_passes_ruff_and_mypy_strict(tmp_path: Path) -> None:
    documents = [
        _deployment("emailservice", f"{REGISTRY}/emailservice:v0.8.0", RESOURCES),
        _deployment("paymentservice", f"{REGISTRY}/paymentservice:v0.8.0", RESOURCES),
        _deployment("cache", "redis:7.2.4", {}, volumes=[{"name": "x", "emptyDir": {}}]),
    ]
    _, path = _import(documents, tmp_path)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", str(path)],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--diff", str(path)],
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout
