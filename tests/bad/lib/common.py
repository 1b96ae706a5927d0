"""Shared tier definitions, imported by tests/bad/two_files.py."""

from tiers import MySQL, NotSecret, Port


def database(name: str) -> MySQL:
    return MySQL(
        name, env={"MYSQL_RANDOM_ROOT_PASSWORD": NotSecret("yes")}, ports=[Port(3306, "mysql_port")]
    )
