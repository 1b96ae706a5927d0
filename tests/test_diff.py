"""tiers diff: committed manifests against what the app builds."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES, ROOT, build_docs, run_tiers

MULTI_TIER = str(EXAMPLES / "multi_tier.py")


def built(tmp_path: Path, *options: str) -> Path:
    out = tmp_path / "deploy"
    result = run_tiers("build", MULTI_TIER, "-o", str(out), *options)
    assert result.returncode == 0, result.stderr
    return out


def test_in_sync_exits_0_whatever_the_spelling_of_app(tmp_path: Path) -> None:
    out = built(tmp_path, "--layout", "resource")
    result = run_tiers("diff", "examples/../examples/multi_tier.py", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "up to date" in result.stderr


def test_a_changed_object_is_named_and_shown_as_a_unified_diff(tmp_path: Path) -> None:
    out = built(tmp_path)
    backend = out / "backend.yaml"
    backend.write_text(backend.read_text().replace("replicas: 2", "replicas: 5"))
    result = run_tiers("diff", MULTI_TIER, str(out))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "changed: Deployment shop/backend"
    assert lines[1] == f"--- {out}/backend.yaml (committed)"
    assert lines[2] == f"+++ {out}/backend.yaml (built)"
    assert "-  replicas: 5" in lines
    assert "+  replicas: 2" in lines
    assert lines[-1] == "1 changed, 0 added, 0 removed"
    assert "\x1b[" not in result.stdout
    assert f"run tiers build {MULTI_TIER} -o {out}" in result.stderr


def test_added_and_removed_objects_are_named(tmp_path: Path) -> None:
    out = built(tmp_path)
    (out / "mysql.yaml").unlink()
    meta = {"name": "old", "namespace": "shop"}
    extra = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    with (out / "backend.yaml").open("a") as handle:
        handle.write("---\n" + yaml.safe_dump(extra))
    result = run_tiers("diff", MULTI_TIER, str(out))
    assert result.returncode == 1
    heads = [line for line in result.stdout.splitlines() if ": " in line and line[0] != " "]
    mysql = [d for d in build_docs("multi_tier") if d["metadata"]["name"].startswith("mysql")]
    for doc in mysql:
        assert f"added: {doc['kind']} shop/{doc['metadata']['name']}" in heads
    assert "added: Service shop/mysql-service" in heads
    assert "removed: ConfigMap shop/old" in heads
    assert "+    app.kubernetes.io/name: mysql" in result.stdout
    assert "-  name: old" in result.stdout
    assert result.stdout.splitlines()[-1] == f"0 changed, {len(mysql)} added, 1 removed"


def test_a_stale_layout_or_kustomization_is_drift_too(tmp_path: Path) -> None:
    out = built(tmp_path, "--layout", "tier")
    result = run_tiers("diff", MULTI_TIER, str(out), "--layout", "stream")
    assert result.returncode == 1
    assert "changed: file" in result.stdout and "kustomization.yaml" in result.stdout
    assert f"added: file {out}/shop.yaml" in result.stdout
    assert f"removed: file {out}/backend.yaml" in result.stdout
    assert "--layout stream" in result.stderr


def test_user_files_are_ignored_and_a_missing_directory_is_all_added(tmp_path: Path) -> None:
    out = built(tmp_path)
    (out / "notes.yaml").write_text("kind: Mine\n")
    assert run_tiers("diff", MULTI_TIER, str(out)).returncode == 0
    result = run_tiers("diff", MULTI_TIER, str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert f"added: file {tmp_path}/nowhere/kustomization.yaml" in result.stdout
    objects = len(build_docs("multi_tier"))
    assert result.stdout.splitlines()[-1] == f"0 changed, {objects + 1} added, 0 removed"
    result = run_tiers("diff", MULTI_TIER, str(out / "mysql.yaml"))
    assert result.returncode == 2
    assert "is a file" in result.stderr


def test_an_invalid_app_exits_3_with_its_diagnostics(tmp_path: Path) -> None:
    """3, not 1: CI tells an invalid app from drift (tiers diff's documented codes)."""
    app = tmp_path / "bad.py"
    app.write_text("from tiers import App, Tier\napp = App('x')\napp.add(Tier('a', image=3))\n")
    result = run_tiers("diff", str(app), str(tmp_path))
    assert result.returncode == 3
    assert "bad.py:3: error: tier 'a', image:" in result.stderr


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tiers", *args],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(), b"".join(chunks).decode()


def test_colour_on_a_terminal_only_and_never_with_no_color(tmp_path: Path) -> None:
    out = built(tmp_path)
    backend = out / "backend.yaml"
    backend.write_text(backend.read_text().replace("replicas: 2", "replicas: 5"))
    plain = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, text = _on_a_terminal(["diff", MULTI_TIER, str(out)], plain)
    assert code == 1
    assert "\x1b[31m-  replicas: 5\x1b[0m" in text
    assert "\x1b[32m+  replicas: 2\x1b[0m" in text
    code, text = _on_a_terminal(["diff", MULTI_TIER, str(out)], {**plain, "NO_COLOR": "1"})
    assert code == 1
    assert "-  replicas: 5" in text and "\x1b[" not in text
    forced = run_tiers("diff", MULTI_TIER, str(out), "--color", "always")
    assert "\x1b[31m-  replicas: 5\x1b[0m" in forced.stdout


def test_the_pre_commit_hook_runs_tiers_diff(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    hook = hooks["tiers-diff"]
    assert hook["entry"] == "tiers diff"
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"
    out = built(tmp_path)
    entry = hook["entry"].split()[1:]
    assert run_tiers(*entry, MULTI_TIER, str(out)).returncode == 0
    (out / "mysql.yaml").unlink()
    assert run_tiers(*entry, MULTI_TIER, str(out)).returncode == 1


def test_pre_commit_runs_the_shipped_hook_in_a_users_repository(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert run_tiers("init", str(project), "--name", "shop").returncode == 0
    assert run_tiers("build", "app.py", "-o", "deploy", cwd=project).returncode == 0
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    # the snippet of docs/gitops.md as written, with this checkout as the repository
    page = (ROOT / "docs" / "gitops.md").read_text()
    snippet = page.split("```yaml\nrepos:", 1)[1].split("```", 1)[0]
    config = yaml.safe_load("repos:" + snippet)
    config["repos"][0].update(repo=str(ROOT), rev=head)
    assert config["repos"][0]["hooks"] == [{"id": "tiers-diff", "args": ["app.py", "deploy/"]}]
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    done = subprocess.run(run, capture_output=True, text=True, cwd=project, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tiers diff" in done.stdout and "Passed" in done.stdout
    app = project / "app.py"
    app.write_text(app.read_text().replace("replicas=2,\n        env", "replicas=3,\n        env"))
    done = subprocess.run(run, capture_output=True, text=True, cwd=project, env=env, check=False)
    assert done.returncode == 1
    assert "changed: Deployment shop/backend" in done.stdout


def test_a_file_broken_by_hand_is_drift_not_a_crash(tmp_path: Path) -> None:
    out = built(tmp_path)
    (out / "mysql.yaml").write_text("# Generated by tiers from x. Do not edit.\nkind: [unclosed\n")
    result = run_tiers("diff", MULTI_TIER, str(out))
    assert result.returncode == 1, result.stderr
    assert "added: Service shop/mysql-service" in result.stdout
    assert "Traceback" not in result.stderr
