"""Strings that YAML could take for something else, or that break naive YAML."""

from __future__ import annotations

TRICKY_VALUES: tuple[str, ...] = (
    # YAML 1.1 and 1.2 booleans, nulls and numbers
    *("yes", "no", "on", "off", "y", "n", "Y", "N", "YES", "On", "true", "False", "TRUE"),
    *("null", "Null", "~", "", "0123", "0x1F", "1e3", "12:30", "12:30:45", "190:20:30"),
    *(".inf", "-.inf", "+.inf", ".NaN", ".nan", "0o17", "+1", "-1", "1_000", "0b101", "1.0"),
    *("=", "<<", "0.", "-0", "1e-3", "0xFF_FF", "+12:30"),
    # indicators and structure
    *("a: b", "a:b", "key: value # comment", "a #b", "#", "# comment", "- item", "-", "--"),
    *("---", "...", "[a]", "{a: b}", "[", "}", "&anchor", "*alias", "!tag", "!!str", "%", "@"),
    *("`", "? x", "| x", "> x", ",", "a, b", "'", '"', "'single'", '"double"', "it's", 'say "hi"'),
    *("\\", "C:\\path\\n", "\\n", "\\x00", "\\u2028"),
    # whitespace, line breaks, control characters
    *("\t", "a\tb", "\n", "a\nb", "a\n", "a\n\n", "\na", "\r", "a\r\nb", " ", "  ", " lead"),
    *("trail ", " both ", "a  \n b", " \n ", "line\n  indented\n", "\x07", "\x1b[31mred\x1b[0m"),
    *("\x00", "nul\x00inside", "\x7f", "\x85", "a\x85b", "\u2028", "a\u2028b", "a\u2029b"),
    *("\ufeff", "\ufeffbom", "\u00a0", "\u200b", "\ufffe"),
    # beyond ASCII
    *("é", "café", "中文", "😀", "emoji 😀 inside", "\U0010fffd", "Ω≈ç√∫"),
    # long
    "x" * 2500,
    ("word " * 600).strip(),
    "a: b " * 500,
)
"""Env values and annotation values that must come back as exactly these strings."""

TRICKY_LABEL_VALUES: tuple[str, ...] = (
    *("yes", "no", "on", "off", "y", "n", "true", "False", "null", "Null", "NULL"),
    *("0123", "0x1F", "1e3", "0o17", "1_000", "0b101", "1.0", "123", "1-2", "a.b_c-d", ""),
)
"""Label values Kubernetes accepts that a YAML reader could take for something else."""

TRICKY_LABEL_KEYS: tuple[str, ...] = ("yes", "on", "null", "y", "1", "0x1F", "example.com/true")
"""Label keys Kubernetes accepts that a YAML reader could take for a non-string key."""
