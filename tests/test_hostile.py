"""Hostile input through the command line: each case a hostile test run
found, kept as a regression test. What ``tiers validate`` says about a bad
app is in ``tests/bad/`` (``patch_weakens``, ``patch_credentials``,
``credential_values``, ``system_namespace``, ``tier_added_twice``,
``add_not_a_tier``, ``env_endpoint``, ``integer_range``, ``formats_invalid``);
here is what needs more than its messages: the YAML that is (or is not)
written, stdout, exit codes, and ``tiers import``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_tiers

BAD = ROOT / "tests" / "bad"
ENFORCE = "pod-security.kubernetes.io/enforce"


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _docs(text: str) -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(text) if d]


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback (most recent call last)" not in text


# 8: a patch that weakens the defaults


def test_a_weakening_patch_fails_strict_validation() -> None:
    result = run_tiers("validate", "--strict", str(BAD / "patch_weakens.py"))
    assert result.returncode == 1
    assert "patches[0]: weakens the baseline Pod Security Standard" in result.stdout


def test_the_namespace_follows_the_level_the_patched_pods_need() -> None:
    result = run_tiers("build", str(BAD / "patch_weakens.py"))
    assert result.returncode == 0, result.stderr
    namespace = next(d for d in _docs(result.stdout) if d["kind"] == "Namespace")
    labels = namespace["metadata"]["labels"]  # type: ignore[index]
    assert labels[ENFORCE] == "privileged"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"
    assert "tier 'api', namespace: the pods of Deployment 'api' need the privileged" in (
        result.stderr
    )


def test_an_unpatched_app_keeps_enforcing_restricted() -> None:
    result = run_tiers("build", str(ROOT / "examples" / "full.py"))
    namespace = next(d for d in _docs(result.stdout) if d["kind"] == "Namespace")
    assert namespace["metadata"]["labels"][ENFORCE] == "restricted"  # type: ignore[index]
    # its patch changes no secure default: no warning (but, for an install without the
    # schema extra, that its patch is not checked against the schemas)
    unchecked = "are not checked against the Kubernetes schemas"
    if unchecked in result.stderr:
        assert result.stderr.endswith(
            f"{unchecked}; install them with pip install "
            "'tiers[schema]' (kubernetes-validate)\n0 error(s), 1 warning(s)\n"
        )
    else:
        assert result.stderr == ""


# 9: credentials in values, ConfigMaps, annotations and patches


def test_credentials_set_through_a_patch_are_errors_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    result = run_tiers("build", str(BAD / "patch_credentials.py"), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()
    assert result.stderr.count("error: tier 'api', patches[0]: ") == 3
    assert "hunter2" not in result.stderr and "abc123" not in result.stderr


def test_import_moves_credentials_in_values_and_arguments_into_a_secret(
    tmp_path: Path,
) -> None:
    source = _write(
        tmp_path,
        "in.yaml",
        """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: my-api:1.4.2
          args: ["--user", "app", "--password=hunter2"]
          env:
            - {name: DATABASE_URL, value: "postgres://admin:hunter2@db/app"}
            - {name: SECRETKEY, value: "s3cr3t-value"}
            - {name: LOG_LEVEL, value: debug}
""",
    )
    result = run_tiers("import", str(source), "-o", str(tmp_path / "app.py"))
    assert result.returncode == 0, result.stderr
    code = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert "hunter2" not in code and "s3cr3t" not in code
    assert 'SecretKeyRef("api-secrets", "DATABASE_URL")' in code
    assert 'SecretKeyRef("api-secrets", "SECRETKEY")' in code
    assert "--password=$(" in code
    built = run_tiers("validate", "--strict", str(tmp_path / "app.py"))
    assert built.returncode in (0, 1) and "credential-literal" not in built.stdout


# 10: a system namespace


def test_kube_system_gets_no_namespace_object_and_a_warning() -> None:
    result = run_tiers("build", str(BAD / "system_namespace.py"))
    assert result.returncode == 0, result.stderr
    assert not [d for d in _docs(result.stdout) if d["kind"] == "Namespace"]
    assert "kube-system" in result.stderr and "warning" in result.stderr


# 11: the same tier object added twice


def test_the_same_tier_added_twice_is_an_error_through_every_layout(tmp_path: Path) -> None:
    for layout in ("tier", "resource", "stream"):
        out = tmp_path / layout
        result = run_tiers("build", str(BAD / "tier_added_twice.py"), "-o", str(out))
        assert result.returncode == 1, layout
        assert "added twice" in result.stderr
        _no_traceback(result.stderr)
        assert not out.exists()


# 13: an alias bomb, and oversized input


def test_import_refuses_a_billion_laughs_quickly(tmp_path: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    body = "\n".join(f"  {line}" for line in levels)
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n{body}\n"
    assert len(text) < 1024
    source = _write(tmp_path, "bomb.yaml", text)
    result = run_tiers("import", str(source), "-o", str(tmp_path / "app.py"))
    assert result.returncode == 1
    assert "alias bomb" in result.stderr and "bomb.yaml:" in result.stderr
    assert not (tmp_path / "app.py").exists()


# 14: print() in the app


def test_the_apps_output_goes_to_stderr_and_stdout_stays_yaml(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        "app.py",
        "import os\nfrom tiers import App, Backend\nprint('hello from the app')\n"
        "os.system('echo from a shell')\n"
        "app = App('shop')\napp.add(Backend('api', image='my-api:1.4.2'))\n",
    )
    built = run_tiers("build", str(app))
    assert built.returncode == 0, built.stderr
    assert "hello" not in built.stdout and "shell" not in built.stdout
    assert {d["kind"] for d in _docs(built.stdout)} >= {"Namespace", "Deployment"}
    assert "hello from the app" in built.stderr and "from a shell" in built.stderr
    checked = run_tiers("validate", "--format", "json", str(app))
    # stdout is JSON alone: the app's output is not in it (only the lone tier's
    # true warning that no one calls its Service)
    assert [d["code"] for d in json.loads(checked.stdout)] == ["service-admits-no-one"]


# 16: imported YAML with duplicate keys, or nothing to import


def test_import_refuses_duplicate_keys(tmp_path: Path) -> None:
    source = _write(tmp_path, "dup.yaml", "kind: Deployment\nmetadata: {name: a}\nkind: Service\n")
    result = run_tiers("import", str(source), "-o", str(tmp_path / "app.py"))
    assert result.returncode == 1
    assert "dup.yaml:3: the key 'kind' is already set on line 1" in result.stderr


def test_import_of_nothing_importable_writes_nothing(tmp_path: Path) -> None:
    source = _write(tmp_path, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = run_tiers("import", str(source), "-o", str(tmp_path / "app.py"))
    assert result.returncode == 1
    assert "nothing to import" in result.stderr
    assert not (tmp_path / "app.py").exists()


# 17: messages


def test_a_recursion_error_shows_its_frame_once(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        "app.py",
        "from tiers import App\napp = App('shop')\n\n\ndef f(n):\n    return f(n + 1)\n\n\nf(0)\n",
    )
    result = run_tiers("validate", str(app))
    assert result.returncode == 1
    assert "RecursionError" in result.stderr
    assert result.stderr.count("in f") <= 3
    assert "repeated" in result.stderr
    assert len(result.stderr.splitlines()) < 20


def test_build_of_a_directory_says_it_is_a_directory(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", "from tiers import App\napp = App('shop')\n")
    result = run_tiers("build", str(tmp_path))
    assert result.returncode == 2
    assert "is a directory" in result.stderr
    assert f"{tmp_path / 'app.py'}" in result.stderr


STDOUT_TRICKS = [
    'import sys\nsys.stdout.buffer.write(b"bytes from the app\\n")\n',
    'import os\nos.write(1, b"\\xff\\xfe not even UTF-8\\n")\n',
    'import sys\nprint("to the real one", file=sys.__stdout__)\n',
    "import sys\nsys.stdout = None\n",
    "import sys\nsys.stdout.close()\n",
    'import atexit\natexit.register(lambda: print("from an exit handler"))\n',
    "import threading, time\n\n\ndef chatter():\n    while True:\n"
    '        print("from a thread")\n        time.sleep(0.001)\n\n\n'
    "threading.Thread(target=chatter, daemon=True).start()\ntime.sleep(0.01)\n",
]


@pytest.mark.parametrize("trick", STDOUT_TRICKS)
def test_no_trick_of_the_app_reaches_stdout(tmp_path: Path, trick: str) -> None:
    app = _write(
        tmp_path,
        "app.py",
        f"{trick}from tiers import App, Backend\napp = App('shop')\n"
        "app.add(Backend('api', image='my-api:1.4.2'))\n",
    )
    built = run_tiers("build", str(app))
    assert built.returncode == 0, built.stderr
    _no_traceback(built.stderr)
    assert [d["kind"] for d in _docs(built.stdout)][:2] == ["Namespace", "Deployment"]
    said = ("bytes from the app", "not even UTF-8", "to the real one", "an exit", "a thread")
    assert built.stdout.endswith("\n") and not any(s in built.stdout for s in said)
    checked = run_tiers("validate", "--format", "json", str(app))
    assert [d["code"] for d in json.loads(checked.stdout)] == ["service-admits-no-one"]


def test_one_tier_in_two_apps_is_built_and_checked_by_each(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        "apps.py",
        "from tiers import App, Backend, MySQL, SecretKeyRef\n"
        "db = MySQL('mysql', env={'MYSQL_ROOT_PASSWORD': SecretKeyRef('db', 'root')})\n"
        "api = Backend('api', image='my-api:1.4.2', env={'DB': db.host})\n"
        "shop = App('shop')\nshop.add(db)\nshop.add(api)\n"
        "other = App('other')\nother.add(api)\n",
    )
    shop = run_tiers("build", f"{app}:shop")
    assert shop.returncode == 0, shop.stderr
    other = run_tiers("build", f"{app}:other")
    assert other.returncode == 1
    assert "apps.py:3: error: tier 'api', env.DB: references tier 'mysql', which is not in " in (
        other.stderr
    )
    assert "app 'other'" in other.stderr
    _no_traceback(shop.stderr, other.stderr)
