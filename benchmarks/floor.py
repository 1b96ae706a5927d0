"""The emission floor: write documents again from a JSON copy with PyYAML's C dumper.

``python benchmarks/floor.py COPY.json DIR`` reads ``{file name: [documents]}``
and writes each file into DIR with ``yaml.CSafeDumper``, block style, keys in
their order: what any Python tool must at least do to write the same output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml


def main(copy: Path, directory: Path) -> None:
    files = json.loads(copy.read_text(encoding="utf-8"))
    directory.mkdir(parents=True, exist_ok=True)
    for name, documents in files.items():
        text = yaml.dump_all(
            documents,
            Dumper=yaml.CSafeDumper,
            sort_keys=False,
            default_flow_style=False,
            allow_unicode=True,
        )
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
