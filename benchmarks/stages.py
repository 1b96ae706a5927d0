"""What each stage of ``tiers build`` costs per tier, measured in one process.

``python benchmarks/stages.py [--copies 1000] [--repeat 3]`` loads
``examples/scale.py`` and times each stage on its own (CPU time, best of the
rounds): load (running the app definition), resolve, validate (as written,
then as emitted: rendering each workload once more), render, emit, write.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def best(rounds: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The least CPU time of ``rounds`` runs of ``action``, and its last result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.process_time()
        result = action()
        times.append(time.process_time() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["SHOP_COPIES"] = str(args.copies)
    sys.path.insert(0, str(ROOT))
    from tiers.checks import Context, run_checks
    from tiers.checks.emitted import check_emitted
    from tiers.checks.problems import construction_problems
    from tiers.loader import load_app
    from tiers.output.emit import per_tier
    from tiers.output.write import write_tree
    from tiers.render.objects import render
    from tiers.resolve.core import resolve

    rounds, scale = args.repeat, str(ROOT / "examples" / "scale.py")
    out = Path(tempfile.mkdtemp(prefix="tiers-stages-")) / "out"
    stages: list[tuple[str, float]] = []
    seconds, app = best(rounds, lambda: load_app(scale))
    stages.append(("load (the app definition runs)", seconds))
    gc.freeze()  # as the CLI does once the app has run: no cycle collector from here on
    gc.disable()
    seconds, resolved = best(rounds, lambda: resolve(app, construction_problems(app)[1])[0])
    stages.append(("resolve", seconds))
    seconds, _ = best(rounds, lambda: run_checks(Context(app, resolved)))
    stages.append(("validate (as written)", seconds))
    seconds, _ = best(rounds, lambda: check_emitted(Context(app, resolved)))
    stages.append(("validate (as emitted)", seconds))
    seconds, objects = best(rounds, lambda: render(resolved))
    stages.append(("render", seconds))
    seconds, files = best(rounds, lambda: per_tier(objects))
    stages.append(("emit", seconds))
    seconds, _ = best(rounds, lambda: write_tree(out, files, "examples/scale.py"))
    stages.append(("write", seconds))
    shutil.rmtree(out.parent, ignore_errors=True)
    tiers = len(app.tiers)
    print(f"{tiers} tiers, CPU seconds, best of {rounds}\n")
    print("| stage | seconds | µs per tier |\n|---|---:|---:|")
    for name, seconds in stages:
        print(f"| {name} | {seconds:.3f} | {seconds / tiers * 1e6:.0f} |")
    total = sum(s for _, s in stages)
    print(f"| total | {total:.3f} | {total / tiers * 1e6:.0f} |")


if __name__ == "__main__":
    main()
