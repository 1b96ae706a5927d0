"""Credentials where they hide, through the command line: in env names and
values, command lines inside arguments, base64, ConfigMaps, Secrets and
annotations of templates, and what ``tiers import`` writes. Each is an error
at its file, line, tier and field with the fix (a Secret reference), the
credential itself never echoed; nothing is written.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.conftest import run_tiers
from tests.test_hostile_checks import _app, _build

# 9: credentials where they hide are errors with the fix, and nothing is written

TOKEN = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5"
HIDDEN = [
    ("env={'SECRETKEY': 'abcd1234x'}", "env.SECRETKEY", "abcd1234x"),
    ("env={'dbPassword': 'pw12345'}", "env.dbPassword", "pw12345"),
    ("env={'CONN_STR': 'Server=db;Password=Hunter2;'}", "env.CONN_STR", "Hunter2"),
    ("env={'AUTH_HEADER': 'Bearer abcdef123456ghijklmn'}", "env.AUTH_HEADER", "abcdef123456"),
    ("env={'DSN': 'redis://:hunter2@cache:6379'}", "env.DSN", "hunter2"),
    ("env={'A': 'user=app password=hunter2 host=db'}", "env.A", "hunter2"),
    (f"env={{'A': {base64.b64encode(b'postgres://u:hunter2@db/x').decode()!r}}}", "env.A", "cG9z"),
    (f"args=['--token', {TOKEN!r}]", "args[1]", TOKEN),
    ("args=['sh', '-c', 'exec app --password=hunter2 --x']", "args[2]", "hunter2"),
    ("command=['sh', '-c', 'app --db-password hunter2']", "command[2]", "hunter2"),
    ("annotations={'example.com/db-password': 'hunter2'}", "annotations", "hunter2"),
]


@pytest.mark.parametrize(("fields", "field", "secret"), HIDDEN)
def test_a_credential_where_it_hides_is_an_error_and_never_echoed(
    tmp_path: Path, fields: str, field: str, secret: str
) -> None:
    app = _app(tmp_path, f"Backend('api', image='my-api:1.4.2', {fields})")
    done = run_tiers("build", str(app), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"app.py:3: error: tier 'api', {field}" in done.stderr
    assert "would be committed to Git in plain text" in done.stderr
    assert "SecretKeyRef(" in done.stderr or "keep the credential in a Secret" in done.stderr
    assert secret not in done.stderr and not (tmp_path / "out").exists()


CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings, annotations: {annotations}}}
data: {data}
"""


@pytest.mark.parametrize(
    ("data", "annotations", "field"),
    [
        ("{password: hunter2}", "{}", "data[password]"),
        (f"{{blob: {base64.b64encode(b'password=hunter2').decode()}}}", "{}", "data[blob]"),
        ('{app.conf: "[db]\\npassword=hunter2\\n"}', "{}", "data[app.conf]"),
        ("{a: b}", f"{{example.com/token: {TOKEN}}}", "metadata.annotations[example.com/token]"),
    ],
)
def test_a_credential_in_a_templates_config_map_is_an_error(
    tmp_path: Path, data: str, annotations: str, field: str
) -> None:
    (tmp_path / "cm.yaml.j2").write_text(CONFIG_MAP.format(data=data, annotations=annotations))
    head = "from pathlib import Path\n"
    app = _app(
        tmp_path, "Backend('api', image='my-api:1.4.2', extra_templates=[Path('cm.yaml.j2')])", head
    )
    code, err, _ = _build(app)
    assert code == 1, err
    assert "tier 'api', extra_templates: " in err and f"ConfigMap 'settings' {field}" in err
    assert "hunter2" not in err and TOKEN not in err


def test_import_keeps_every_hidden_credential_out_of_the_python(tmp_path: Path) -> None:
    blob = base64.b64encode(b"postgres://a:hunter2@db/x").decode()
    (tmp_path / "in.yaml").write_text(
        f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop, annotations: {{token: {TOKEN}}}}}
spec:
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata:
      labels: {{app: api}}
      annotations: {{vault: "Bearer abcdef123456ghijklmn", ok: plain}}
    spec:
      containers:
        - name: api
          image: my-api:1.4.2
          command: ["sh", "-c", "exec app --password hunter2 --db postgres://u:hunter3@db/x"]
          env:
            - {{name: BLOB, value: {blob}}}
            - {{name: AUTH_HEADER, value: "Bearer abcdef123456ghijklmn"}}
"""
    )
    done = run_tiers("import", "in.yaml", "-o", "app.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    code = (tmp_path / "app.py").read_text()
    for secret in ("hunter2", "hunter3", TOKEN, "abcdef123456", blob):
        assert secret not in code, secret
    assert '"ok": "plain"' in code and "--password $(" in code
    assert "annotations token, vault: hold a credential, so they are left out" in done.stderr
    assert run_tiers("validate", "app.py", cwd=tmp_path).returncode == 0


def test_a_secret_a_template_writes_with_values_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "s.yaml.j2").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n"
        "stringData: {password: hunter2}\ndata: {token: aHVudGVyMg==, empty: '$(NONE)'}\n"
    )
    head = "from pathlib import Path\n"
    app = _app(
        tmp_path, "Backend('api', image='my-api:1.4.2', extra_templates=[Path('s.yaml.j2')])", head
    )
    code, err, _ = _build(app)
    assert code == 1
    assert "Secret 'creds' stringData[password]" in err and "Secret 'creds' data[token]" in err
    assert "data[empty]" not in err and "hunter2" not in err


def test_quoted_words_in_a_command_line_are_searched_once(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        "Backend('api', image='my-api:1.4.2', args=['sh', '-c', 'app --password=\"hun ter\" x'])",
    )
    code, err, _ = _build(app)
    assert code == 1 and "tier 'api', args[2]: the value of --password ('****')" in err
    plain = _app(tmp_path, "Backend('api', image='my-api:1.4.2', args=['\"a b\"', \"' '\"])")
    code, err, _ = _build(plain)
    assert code == 0, err
