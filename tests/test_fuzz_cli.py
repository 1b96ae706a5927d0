"""A generated-app fuzzer at the command line.

Hypothesis writes small apps as Python source (tiers of each kind, names,
images, replicas, ports, env values and references, patches that weaken the
pod, output from the app itself), and each runs through ``tiers build -o DIR``
twice and ``tiers validate --format json``. Whatever the app, tiers must
answer with exit code 0 or 1 and never a traceback; a build that succeeds
writes only into DIR, the same bytes both times, and objects that pass the
Kubernetes schema strictly. The budget is ``TIERS_FUZZ_EXAMPLES`` examples
(default 30, for CI); raise it to search longer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.test_properties import assert_valid_kubernetes
from tiers.cli import main

EXAMPLES = int(os.environ.get("TIERS_FUZZ_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _mostly(valid: list[Any], hostile: list[Any]) -> st.SearchStrategy[Any]:
    """A valid value seven times in eight, else a hostile one."""
    return st.integers(0, 7).flatmap(lambda roll: st.sampled_from(hostile if roll == 0 else valid))


NAMES = _mostly(["api", "web", "db", "cache", "worker-1"], ["Api", "x" * 64, "a_b", ""])
IMAGES = _mostly(
    ["my-api:1.4.2", "nginx:1.27.3", "busybox:1.36"],
    ["nginx", "UPPER/Case:tag!!", "app@sha256:zz", "", "a b"],
)
TEXT = _mostly(
    ["debug", "yes", "0123", "12:30", "é\n", "http://x:8080/a"],
    [
        "$(HOME)",
        "postgres://u:pw@db/x",
        "--password=x",
        "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5",
        "a\udcffb",
        "Bearer abcdef123456ghijklmn",
        "cGFzc3dvcmQ9aHVudGVyMg==",
    ],
)
INTS = _mostly([1, 2, 3, 80, 8080], [0, -1, 65536, 2**31, 2**40, 2**63])
PATCHES = st.sampled_from(
    [
        {"hostNetwork": True},
        {"securityContext": {"runAsUser": 0}},
        {"automountServiceAccountToken": True},
        {"volumes": [{"name": "root", "hostPath": {"path": "/"}}]},
        {"securityContext": {"seccompProfile": {"type": "Unconfined"}}},
        {"nodeSelector": {"disktype": "ssd"}},
        {"terminationGracePeriodSeconds": 5},
        {"terminationGracePeriodSeconds": -1},
        {"volumes": [{"name": "t", "projected": {"sources": [{"serviceAccountToken": {}}]}}]},
        {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}},
        {"initContainers": [{"name": "i", "image": "busybox:1.36", "command": ["sh", "-c", "x"]}]},
        {"metadata": {"annotations": {"a": {"b": [1, 2]}}}},
    ]
)


@st.composite
def tiers_source(draw: st.DrawFn) -> str:
    """One ``app.add(...)`` line per tier, with references to earlier tiers."""
    lines: list[str] = []
    count = draw(st.integers(1, 3))
    for index in range(count):
        kind = draw(st.sampled_from(["Backend", "Frontend", "MySQL", "Tier"]))
        name = draw(NAMES) if draw(st.booleans()) else f"tier-{index}"
        args: dict[str, Any] = {}
        if kind in ("Backend", "Tier") or draw(st.booleans()):
            args["image"] = draw(IMAGES)
        if kind == "Tier":
            args["ports"] = [draw(INTS)]
        if draw(st.booleans()):
            args["replicas"] = draw(INTS)
        env = {f"V{i}": draw(TEXT) for i in range(draw(st.integers(0, 2)))}
        fields = ", ".join(f"{k}={v!r}" for k, v in args.items())
        refs = "".join(f", 'REF{i}': t{i}.host" for i in range(index) if draw(st.booleans()))
        patch = ""
        if draw(st.booleans()):
            spec = {"spec": {"template": {"spec": draw(PATCHES)}}}
            workload = "StatefulSet" if kind == "MySQL" else "Deployment"
            patch = f", patches=[Patch({workload!r}, {spec!r})]"
        lines.append(
            f"t{index} = app.add({kind}({name!r}, {fields}{', ' if fields else ''}"
            f"env={{**{env!r}{refs}}}{patch}))"
        )
    return "\n".join(lines)


@st.composite
def app_source(draw: st.DrawFn) -> str:
    noisy = "print('hello from the app')\n" if draw(st.booleans()) else ""
    namespace = draw(_mostly(["shop", "shop", "shop-prod"], ["kube-system", "Bad_NS"]))
    return (
        "from tiers import App, Backend, Frontend, MySQL, Patch, Tier\n"
        f"{noisy}app = App('shop', namespace={namespace!r})\n{draw(tiers_source())}\n"
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.exit_code, output


@SETTINGS
@given(source=app_source())
def test_any_generated_app(
    source: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = tmp_path_factory.mktemp("fuzz")
    monkeypatch.chdir(sandbox)
    monkeypatch.setenv("XDG_CACHE_HOME", str(sandbox / "cache"))
    (sandbox / "app.py").write_text(source, encoding="utf-8")
    first, output = _run(["build", "app.py", "-o", "out"])
    assert first in (0, 1), output
    event(f"build exit {first}")
    _run_validate()
    outside = {k: v for k, v in _tree(sandbox).items() if not k.startswith(("out", "cache"))}
    assert outside == {"app.py": source.encode()}
    if first != 0:
        assert not (sandbox / "out").exists()
        return
    built = _tree(sandbox / "out")
    for text in built.values():
        for document in yaml.safe_load_all(text):
            if document and document.get("kind") != "Kustomization":
                assert_valid_kubernetes(document)
    assert _run(["build", "app.py", "-o", "out"])[0] == 0
    assert _tree(sandbox / "out") == built


def _run_validate() -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "json", "app.py"])
    assert result.exit_code in (0, 1), result.output
    assert isinstance(json.loads(result.stdout), list)
