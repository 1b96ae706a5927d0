"""What an app writes to stdout while it loads is captured, at the Python
and the file-descriptor level (``tiers.capture``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tiers import capture
from tiers.capture import stdout_captured


def test_print_is_captured() -> None:
    with stdout_captured() as captured:
        print("from python")
    assert captured.text == "from python\n"


def test_a_child_process_writing_to_descriptor_1_is_captured() -> None:
    with stdout_captured() as captured:
        subprocess.run([sys.executable, "-c", "print('from a child')"], check=True)
        os.write(1, b"from os.write\n")
    assert "from a child\n" in captured.text and "from os.write\n" in captured.text


def test_stdout_works_again_afterwards(capfd: pytest.CaptureFixture[str]) -> None:
    with stdout_captured():
        print("hidden")
    os.write(1, b"visible\n")
    out = capfd.readouterr().out
    assert out == "visible\n"


def test_output_beyond_the_limit_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture, "LIMIT", 10)
    with stdout_captured() as captured:
        print("x" * 25)
    assert captured.text == "x" * 10 and captured.dropped == 16


def test_the_doctest_runs() -> None:
    import doctest

    failures, tried = doctest.testmod(capture)
    assert failures == 0 and tried >= 1
