"""``python -m tiers``: the same as the ``tiers`` command."""

from tiers.cli import main

main(prog_name="tiers")
