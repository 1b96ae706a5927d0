"""Output: rendered objects into canonical YAML (``emit``), files (``layouts``),
written atomically into DIR (``write``), and compared with what DIR holds
(``drift``)."""
