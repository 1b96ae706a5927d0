"""Every public name of ``tiers`` resolves, although the package imports them lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import tiers


def test_every_name_in_all_resolves_to_its_home_module() -> None:
    homes = {name: module for module, names in tiers._HOMES.items() for name in names}
    assert set(homes) == set(tiers.__all__) - {"__version__"}
    for name in tiers.__all__:
        value = getattr(tiers, name)
        if name != "__version__":
            assert value is getattr(importlib.import_module(homes[name]), name)


def test_star_import_gives_every_public_name() -> None:
    namespace: dict[str, object] = {}
    exec("from tiers import *", namespace)
    assert set(tiers.__all__) <= set(namespace)


def test_importing_tiers_loads_none_of_the_heavy_modules() -> None:
    code = (
        "import sys, tiers; "
        "print(sorted(m for m in ('pydantic', 'jinja2', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
