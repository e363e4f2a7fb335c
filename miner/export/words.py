"""The words of the exported FAQ, German first, English with ``--lang en``."""

from __future__ import annotations

from miner.i18n import format_date, language, text  # noqa: F401  (one rule for dates and languages, re-exported)


def word(key: str, lang: str | None = "de", **values) -> str:
    """One word of the export (its texts live in the one catalogue, miner.i18n, under ``export.``)."""
    return text(f"export.{key}", lang, **values)
