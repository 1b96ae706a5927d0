"""The importer's Python: exactly the values it was given, formatted as
``ruff format`` formats it (checked by ruff itself, in one call)."""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from tiers.importer.codegen import Atom, Bracket, Item, flat, layout, literal, string

TRICKY = [
    "",
    "plain",
    'say "hi"',
    "it's",
    "both ' and \"",
    'more "" than \'',
    "back\\slash",
    "new\nline\ttab",
    "ünïcødé ✓",
    "東京",
    "\x00\x7f",
    "$(VAR)/{x}",
    "yes",
]


def _value(rng: random.Random, depth: int) -> Any:
    pick = rng.randrange(7 if depth < 4 else 3)
    if pick == 0:
        return rng.choice(TRICKY) * rng.randrange(1, 4)
    if pick == 1:
        return rng.choice([0, 1, -5, 3306, 2**40, True, False, None])
    if pick == 2:
        return "x" * rng.randrange(0, 120)
    if pick in (3, 4):
        keys = ["name", "spec", "template", "containers", rng.choice(TRICKY), "k" * 40]
        return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randrange(0, 5))}
    return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]


def test_strings_read_back_exactly() -> None:
    for text in TRICKY:
        assert ast.literal_eval(string(text)) == text


def test_generated_patches_are_exact_and_ruff_formatted(tmp_path: Path) -> None:
    rng = random.Random(7)
    values = [_value(rng, 0) for _ in range(400)]
    lines = []
    for index, value in enumerate(values):
        node = literal(value, {})
        assert ast.literal_eval(flat(node)) == value
        patch = Bracket("Patch", "(", (Item("", Atom('"Deployment"')), Item("", node)), ")")
        statement = Bracket("app.add", "(", (Item("", patch),), ")")
        lines.append("\n".join(layout(statement, 0, f"value_{index} = ")))
    source = tmp_path / "values.py"
    source.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--diff", str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[:3000]
