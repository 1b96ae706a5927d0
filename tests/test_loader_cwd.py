"""An app that changes the working directory while it loads: tiers gives it
back, so the paths in messages and the output stay the user's."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_tiers

APP = """import os
from tiers import App, Backend
app = App("x", namespace="x")
app.add(Backend("api", image="api:1.0.0", replicas=-1))
os.chdir("/")
"""


def test_messages_name_the_app_as_the_user_wrote_it(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = run_tiers("validate", "app.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("app.py:4: error: tier 'api', replicas:"), result.stdout
