"""Shared tier definitions, imported by tests/bad/two_files.py."""

from tiers import MySQL, Port


def database(name: str) -> MySQL:
    return MySQL(name, ports=[Port(3306, "mysql_port")])
