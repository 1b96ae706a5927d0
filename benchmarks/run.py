"""How fast ``tiers build`` and the commands run on every commit are, beside
the floors any Python tool stands on.

Times whole processes, interleaved and repeated, and prints medians with min
and max, peak memory, CPU time, the ratios and a PASS/FAIL per target:

- ``tiers build examples/scale.py -o DIR`` (into an empty DIR) for each ``SHOP_COPIES``;
- the emission floor: ``benchmarks/floor.py`` writing the same files from a
  JSON copy of tiers' own output with ``yaml.CSafeDumper`` (the copy is made
  before timing starts);
- the emitter floor: ``benchmarks/floor.py --tiers``, the same files written
  from the same dicts by tiers' own emitter (``tiers.yaml.dump``), header and
  separators included: what Python can do for these bytes;
- at the sizes of ``--commands`` (300, 3,000 and 10,002 tiers), every command
  a team runs, each as a ratio to the build of the same size and run:
  ``tiers validate``, ``tiers diff`` in sync and with one tier changed (its
  report checked to name exactly that object), ``tiers graph``, ``tiers import``
  of the output, and ``tiers build`` over its own earlier output (checked to
  keep every file's inode and mtime);
- the import floor ``python -c "import pydantic, yaml, jinja2, click"``, and
  ``tiers --help`` beside ``python -c "import click"``.

With ``--import``, the import section runs instead: ``tiers import`` of the
output of ``examples/scale.py`` (a file per tier) beside ``tiers build`` of the
same app, per ``--import-copies``, with PASS/FAIL for "3,000 tiers: import
<= 2 x build" and "cost per tier flat (largest <= 1.5 x smallest)", and the
ratio of CPU times beside that of wall times (on a machine other processes
share, the CPU ratio is the steadier one).

Usage::

    python benchmarks/run.py                      # copies 1,10,100,1000,3334, 5 rounds
    python benchmarks/run.py --quick              # copies 1,100,1000, 3 rounds
    python benchmarks/run.py --copies 1,1000 --repeat 3 --check
    python benchmarks/run.py --import --import-copies 100,1000,3334 --repeat 1

Peak memory and CPU time are each child's own (``os.wait4`` in a small launcher
process, so that the benchmark's own memory does not count).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCALE = ROOT / "examples" / "scale.py"
FLOOR = Path(__file__).resolve().parent / "floor.py"
TIERS_PER_COPY = 3
IMPORT_FLOOR = "import pydantic, yaml, jinja2, click"
KUBERNETES = "1.31.0"


@dataclass
class Point:
    """One command to time, and what each run of it measured. ``fresh`` is a
    directory removed before each run (untimed); ``codes`` the exit codes that
    mean success."""

    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    fresh: Path | None = None
    codes: tuple[int, ...] = (0,)
    once: bool = False
    """Run in the first round only (``tiers import``, minutes long at 10,002 tiers)."""

    def median(self) -> float:
        return statistics.median(self.seconds)

    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def spread(self) -> str:
        return f"{self.median():.3f} [{min(self.seconds):.3f}-{max(self.seconds):.3f}]"

    def peak_mb(self) -> float:
        return max(self.peaks) / 1e6 if self.peaks else float("nan")


@dataclass
class Size:
    """One SHOP_COPIES value: tiers' build, its floors, the other commands
    (name → point, at the sizes of ``--commands``), and its output."""

    copies: int
    build: Point
    floor: Point
    emitter: Point
    commands: dict[str, Point] = field(default_factory=dict)
    output_bytes: int = 0
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def points(self) -> list[Point]:
        return [self.build, self.floor, self.emitter, *self.commands.values()]

    @property
    def tiers(self) -> int:
        return self.copies * TIERS_PER_COPY


def tiers_command() -> list[str]:
    """The ``tiers`` console script beside this Python, else ``python -m tiers``."""
    script = Path(sys.executable).with_name("tiers")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tiers"]


_LAUNCHER = """
import os, sys, time
report, errors, *argv = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.dup2(os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(report, "w") as out:
    out.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
"""
"""Runs one child and reports its time, peak memory, exit code and CPU time. A small
process of its own forks the child, because a child's maxrss counts the memory
of the process it was forked from, and this benchmark's own is large."""


def run_once(point: Point) -> None:
    """Run ``point`` once as a child process; record its time and peak memory."""
    if point.fresh is not None:
        shutil.rmtree(point.fresh, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        report, errors = Path(scratch) / "report", Path(scratch) / "errors"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), str(errors)]
        subprocess.run(
            [*launcher, *point.argv], cwd=ROOT, env={**os.environ, **point.env}, check=True
        )
        elapsed, peak, code, cpu = report.read_text().split()
        if int(code) not in point.codes:
            sys.exit(f"{point.label} failed:\n{errors.read_text()}")
    point.seconds.append(float(elapsed))
    point.cpu.append(float(cpu))
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    point.peaks.append(int(peak) * scale)


def prepare(copies: int, work: Path, commands: bool) -> Size:
    """Build once (untimed), measure the output, write its JSON copy, and
    make the directories the other commands read."""
    out, again, copy = work / f"out-{copies}", work / f"floor-{copies}", work / f"{copies}.json"
    env = {"SHOP_COPIES": str(copies)}
    fresh = work / f"fresh-{copies}"
    build = Point(
        f"tiers build x{copies}", [*tiers_command(), "build", str(SCALE), "-o", str(fresh)]
    )
    build.env, build.fresh = env, fresh
    run_once(Point("first build", [*tiers_command(), "build", str(SCALE), "-o", str(out)], env))
    files = {
        p.name: list(yaml.load_all(p.read_text(), Loader=yaml.CSafeLoader)) for p in out.iterdir()
    }
    copy.write_text(json.dumps(files), encoding="utf-8")
    floor = [sys.executable, str(FLOOR), str(copy)]
    size = Size(
        copies,
        build,
        Point(f"floor x{copies}", [*floor, str(again)]),
        Point(f"emitter floor x{copies}", [*floor, str(work / f"emitter-{copies}"), "--tiers"]),
    )
    size.output_bytes = sum(p.stat().st_size for p in out.iterdir())
    if commands:
        size.commands = command_points(copies, work, out, env)
    return size


def command_points(copies: int, work: Path, out: Path, env: dict[str, str]) -> dict[str, Point]:
    """The commands of one size, each reading what ``out`` (a build) holds."""
    tiers = tiers_command()
    changed = work / f"changed-{copies}"
    shutil.copytree(out, changed)
    one = changed / "backend-0.yaml"
    one.write_text(one.read_text().replace("replicas: 2\n", "replicas: 5\n", 1))
    points = {
        "validate": Point("validate", [*tiers, "validate", str(SCALE)]),
        "diff": Point("diff, in sync", [*tiers, "diff", str(SCALE), str(out)]),
        "diff-one": Point(
            "diff, one tier changed", [*tiers, "diff", str(SCALE), str(changed)], codes=(1,)
        ),
        "graph": Point("graph", [*tiers, "graph", str(SCALE)]),
        "import": Point(
            "import", [*tiers, "import", str(out), "-o", str(work / f"imported-{copies}.py")]
        ),
        "rebuild": Point("build over its output", [*tiers, "build", str(SCALE), "-o", str(out)]),
    }
    points["import"].argv.append("--force")
    points["import"].once = True
    for point in points.values():
        point.env = env
    return points


def changed_objects(size: Size) -> list[str]:
    """What ``tiers diff`` reports of the directory with one tier changed."""
    point = size.commands["diff-one"]
    done = subprocess.run(
        point.argv, cwd=ROOT, env={**os.environ, **point.env}, capture_output=True, text=True
    )
    heads = ("changed: ", "added: ", "removed: ")
    return [line for line in done.stdout.splitlines() if line.startswith(heads)]


def file_stats(directory: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime (ns) of every file below ``directory``."""
    return {
        str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in directory.rglob("*") if p.is_file()
    }


def fixed_points() -> dict[str, Point]:
    python = sys.executable
    return {
        "import": Point("import floor", [python, "-c", IMPORT_FLOOR]),
        "click": Point("import click", [python, "-c", "import click"]),
        "help": Point("tiers --help", [*tiers_command(), "--help"]),
    }


def measure(sizes: list[Size], fixed: dict[str, Point], repeat: int) -> None:
    """Every point once per round, rounds alternating in direction."""
    points = [*fixed.values()] + [p for s in sizes for p in s.points()]
    for round_ in range(repeat):
        for point in points if round_ % 2 == 0 else reversed(points):
            if not (point.once and point.seconds):
                run_once(point)
        print(f"  round {round_ + 1}/{repeat} done", file=sys.stderr)


def marginal(sizes: list[Size], size: Size, floor: bool = False) -> float:
    """Seconds per tier above the smallest size: fixed start-up costs left out."""
    base = sizes[0]
    if size is base:
        return float("nan")
    pick = (lambda s: s.floor) if floor else (lambda s: s.build)
    return (pick(size).median() - pick(base).median()) / (size.tiers - base.tiers)


def report(sizes: list[Size], fixed: dict[str, Point]) -> None:
    print(
        "| SHOP_COPIES | tiers | output | tiers build s | emission floor s | build / floor "
        "| emitter floor s | build / emitter floor "
        "| ms per tier (build / floor) | peak MB (build / floor) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        per_tier = f"{marginal(sizes, s) * 1e3:.3f} / {marginal(sizes, s, floor=True) * 1e3:.3f}"
        print(
            f"| {s.copies} | {s.tiers} | {s.output_bytes / 1e6:.2f} MB | {s.build.spread()} "
            f"| {s.floor.spread()} | {s.build.median() / s.floor.median():.2f} "
            f"| {s.emitter.spread()} | {s.build.median() / s.emitter.median():.2f} "
            f"| {per_tier if s is not sizes[0] else '-'} "
            f"| {s.build.peak_mb():.0f} / {s.floor.peak_mb():.0f} |"
        )
    print()
    print("| process | seconds | peak MB |")
    print("|---|---:|---:|")
    for point in fixed.values():
        print(
            f"| `{' '.join(Path(a).name if '/' in a else a for a in point.argv)}` "
            f"| {point.spread()} | {point.peak_mb():.0f} |"
        )
    with_commands = [s for s in sizes if s.commands]
    if with_commands:
        print()
        report_commands(with_commands)


def report_commands(sizes: list[Size]) -> None:
    """Each command as a ratio to the build of the same size: wall time
    (median), CPU time (median) and peak memory."""
    heads = " | ".join(f"{s.tiers:,} tiers" for s in sizes)
    print("Each command / `tiers build` of the same size: wall time, CPU time, peak memory\n")
    print(f"| command | {heads} |")
    print("|---|" + "---:|" * len(sizes))
    rows = [("build (into an empty DIR)", lambda s: s.build)] + [
        (point.label, lambda s, key=key: s.commands[key])
        for key, point in sizes[0].commands.items()
    ]
    for label, pick in rows:
        cells = []
        for s in sizes:
            p = pick(s)
            cells.append(
                f"{p.median() / s.build.median():.2f} / {p.cpu_median() / s.build.cpu_median():.2f}"
                f" / {max(p.peaks) / max(s.build.peaks):.2f} ({p.median():.2f} s, "
                f"{p.peak_mb():.0f} MB)"
            )
        print(f"| {label} | {' | '.join(cells)} |")


def targets(sizes: list[Size], fixed: dict[str, Point]) -> list[tuple[str, bool, str]]:
    """Each target that this run has the data for: (what, met, measured)."""
    by = {s.copies: s for s in sizes}
    found: list[tuple[str, bool, str]] = []
    if 1000 in by:
        s = by[1000]
        for what, floor, limit in (("emission", s.floor, 2.0), ("emitter", s.emitter, 3.0)):
            ratio, cpu = (
                s.build.median() / floor.median(),
                s.build.cpu_median() / floor.cpu_median(),
            )
            found.append(
                (
                    f"3,000 tiers: build <= {limit:.1f} x {what} floor",
                    ratio <= limit,
                    f"{ratio:.2f} x (CPU time: {cpu:.2f} x)",
                )
            )
    if {1, 100, 3334} <= set(by) and sizes[0].copies == 1:
        ratio = marginal(sizes, by[3334]) / marginal(sizes, by[100])
        found.append(
            (
                "10,002 tiers: ms per tier <= 1.2 x ms per tier at 300",
                ratio <= 1.2,
                f"{ratio:.2f} x",
            )
        )
    if 1 in by:
        over = by[1].build.median() - fixed["import"].median()
        found.append(
            ("one copy: build <= import floor + 80 ms", over <= 0.080, f"{over * 1e3:+.0f} ms")
        )
    over = fixed["help"].median() - fixed["click"].median()
    found.append(("tiers --help <= import click + 30 ms", over <= 0.030, f"{over * 1e3:+.0f} ms"))
    if 3334 in by:
        s = by[3334]
        budget = 3 * s.output_bytes + max(fixed["import"].peaks)
        peak = max(s.build.peaks)
        found.append(
            (
                "10,002 tiers: peak memory <= 3 x output + import floor's",
                peak <= budget,
                f"{peak / 1e6:.0f} MB of {budget / 1e6:.0f} MB",
            )
        )
    for copies in (1000, 3334):
        if copies in by and by[copies].commands:
            found += command_targets(by[copies])
    for s in sizes:
        found += s.checks
    return found


def command_targets(s: Size) -> list[tuple[str, bool, str]]:
    """The targets of the commands at one size, as ratios to its build."""
    time = {k: p.median() / s.build.median() for k, p in s.commands.items()}
    memory = {k: max(p.peaks) / max(s.build.peaks) for k, p in s.commands.items()}
    if not {"diff", "diff-one", "graph"} <= set(time):
        return []
    at = f"{s.tiers:,} tiers"
    found = [
        (f"{at}: diff in sync <= 1.0 x build time", time["diff"] <= 1.0, f"{time['diff']:.2f} x"),
        (
            f"{at}: diff in sync <= 1.5 x build memory",
            memory["diff"] <= 1.5,
            f"{memory['diff']:.2f} x",
        ),
        (
            f"{at}: diff, one tier changed <= 1.1 x build time",
            time["diff-one"] <= 1.1,
            f"{time['diff-one']:.2f} x",
        ),
    ]
    if s.copies == 1000:
        found += [
            (f"{at}: graph <= 0.3 x build time", time["graph"] <= 0.3, f"{time['graph']:.2f} x"),
            (
                f"{at}: graph <= build memory",
                memory["graph"] <= 1.0,
                f"{memory['graph']:.2f} x",
            ),
        ]
    return found


def check(sizes: list[Size], work: Path) -> int:
    """Validate every object tiers wrote against the Kubernetes schema (strict);
    ``kustomization.yaml`` is kustomize's own file, not an object, and is left out."""
    import kubernetes_validate

    count = 0
    for s in sizes:
        for path in sorted((work / f"out-{s.copies}").iterdir()):
            if path.name == "kustomization.yaml":
                continue
            for document in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader):
                kubernetes_validate.validate(document, KUBERNETES, strict=True)
                count += 1
    return count


def compile_bytecode() -> None:
    """Compile tiers' modules to bytecode first, as installing a wheel does, so
    that no run pays for it (with ``PYTHONDONTWRITEBYTECODE`` set, a checkout
    would otherwise compile them on every run; the floors' packages are
    installed, compiled)."""
    import compileall

    compileall.compile_dir(ROOT / "tiers", quiet=1)


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load}, "
        f"libyaml {'yes' if yaml.__with_libyaml__ else 'no'}"
    )


# Import: ``tiers import`` of tiers' own output, beside ``tiers build``.


@dataclass
class ImportSize:
    """One SHOP_COPIES value: the build of the app, and the import of its output."""

    copies: int
    build: Point
    imported: Point

    @property
    def tiers(self) -> int:
        return self.copies * TIERS_PER_COPY

    def ms_per_tier(self) -> float:
        return self.imported.median() / self.tiers * 1e3


def prepare_import(copies: int, work: Path) -> ImportSize:
    """Build the app once into a directory (untimed): the input of the import,
    in files of one tier each (10,002 tiers in one stream would pass the
    32 MiB an input of ``tiers import`` may hold)."""
    env = {**os.environ, "SHOP_COPIES": str(copies)}
    stream = work / f"scale-{copies}"
    command = [*tiers_command(), "build", str(SCALE), "-o", str(stream), "--layout", "tier"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    build = Point(
        f"tiers build x{copies}",
        [*tiers_command(), "build", str(SCALE), "-o", str(work / f"built-{copies}")],
        {"SHOP_COPIES": str(copies)},
    )
    app = work / f"imported_{copies}.py"
    imported = Point(
        f"tiers import x{copies}",
        [*tiers_command(), "import", str(stream), "-o", str(app), "--force"],
    )
    return ImportSize(copies, build, imported)


def import_targets(sizes: list[ImportSize]) -> list[tuple[str, bool, str]]:
    by = {s.copies: s for s in sizes}
    found: list[tuple[str, bool, str]] = []
    if 1000 in by:
        ratio = by[1000].imported.median() / by[1000].build.median()
        found.append(("3,000 tiers: import <= 2 x build", ratio <= 2.0, f"{ratio:.2f} x"))
    if len(sizes) > 1:
        ratio = sizes[-1].ms_per_tier() / sizes[0].ms_per_tier()
        what = f"{sizes[-1].tiers:,} tiers: import ms per tier <= 1.5 x at {sizes[0].tiers:,}"
        found.append((what, ratio <= 1.5, f"{ratio:.2f} x"))
    return found


def import_benchmark(copies: list[int], repeat: int) -> int:
    """Time build and import per size, interleaved; print the table and the targets."""
    work = Path(tempfile.mkdtemp(prefix="tiers-bench-import-"))
    try:
        sizes = [prepare_import(c, work) for c in sorted(copies)]
        points = [p for s in sizes for p in (s.build, s.imported)]
        for round_ in range(repeat):
            for point in points if round_ % 2 == 0 else reversed(points):
                run_once(point)
            print(f"  round {round_ + 1}/{repeat} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{repeat} rounds; {machine()}\n")
    print(
        "| SHOP_COPIES | tiers | tiers build s | tiers import s | import / build "
        "| import / build, CPU | import ms per tier | peak MB (build / import) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        print(
            f"| {s.copies} | {s.tiers} | {s.build.spread()} | {s.imported.spread()} "
            f"| {s.imported.median() / s.build.median():.2f} "
            f"| {s.imported.cpu_median() / s.build.cpu_median():.2f} | {s.ms_per_tier():.2f} "
            f"| {s.build.peak_mb():.0f} / {s.imported.peak_mb():.0f} |"
        )
    print()
    results = import_targets(sizes)
    for what, met, measured in results:
        print(f"{'PASS' if met else 'FAIL'}  {what}: {measured}")
    return 0 if all(met for _, met, _ in results) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", default="1,10,100,1000,3334", help="SHOP_COPIES values")
    parser.add_argument(
        "--commands", default="100,1000,3334", help="SHOP_COPIES at which every command is timed"
    )
    parser.add_argument(
        "--skip", default="", help="commands not to time, e.g. import,validate (names as in keys)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="copies 1,100,1000 and 3 rounds")
    parser.add_argument("--check", action="store_true", help="schema-validate every output")
    parser.add_argument("--import", dest="imports", action="store_true", help="time tiers import")
    parser.add_argument("--import-copies", default="100,1000,3334", help="SHOP_COPIES to import")
    args = parser.parse_args()
    if args.imports:
        compile_bytecode()
        return import_benchmark([int(c) for c in args.import_copies.split(",")], args.repeat)
    copies = [1, 100, 1000] if args.quick else sorted({int(c) for c in args.copies.split(",")})
    commands = {int(c) for c in args.commands.split(",") if c}
    repeat = 3 if args.quick else args.repeat
    print(f"before: {machine()}", file=sys.stderr)
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="tiers-bench-"))
    try:
        sizes = [prepare(c, work, c in commands) for c in copies]
        for s in sizes:
            s.commands = {k: p for k, p in s.commands.items() if k not in args.skip.split(",")}
        before = {s.copies: file_stats(work / f"out-{s.copies}") for s in sizes if s.commands}
        fixed = fixed_points()
        measure(sizes, fixed, repeat)
        for s in sizes:
            if s.commands:
                s.checks = after_checks(s, work, before[s.copies])
        print(f"{repeat} rounds; {machine()}\n")
        report(sizes, fixed)
        print()
        results = targets(sizes, fixed)
        for what, met, measured in results:
            print(f"{'PASS' if met else 'FAIL'}  {what}: {measured}")
        if args.check:
            print(
                f"\nschema: {check(sizes, work)} documents valid (Kubernetes {KUBERNETES}, strict)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(met for _, met, _ in results) else 1


def after_checks(
    s: Size, work: Path, before: dict[str, tuple[int, int]]
) -> list[tuple[str, bool, str]]:
    """What the timed runs must have left: the build over its output touched
    no file, and the diff of one changed tier names exactly that object."""
    at = f"{s.tiers:,} tiers"
    if not {"rebuild", "diff-one"} <= set(s.commands):
        return []
    kept = file_stats(work / f"out-{s.copies}") == before
    reported = changed_objects(s)
    expected = ["changed: Deployment shops/backend-0"]
    return [
        (
            f"{at}: build over its output keeps every file's inode and mtime",
            kept,
            f"{len(before)} files {'kept' if kept else 'touched'}",
        ),
        (
            f"{at}: diff, one tier changed, names exactly that object",
            reported == expected,
            "; ".join(reported) or "nothing",
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
