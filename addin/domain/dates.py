"""Dates as users type them: ISO, Chilean day-first with dashes or slashes, two-digit years."""

from __future__ import annotations

from datetime import date, datetime

from addin.errors import MingaError

_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%m-%y", "%d/%m/%y", "%Y/%m/%d")


def parse_date(text: str, *, what: str = "la fecha") -> date:
    """Parse a date typed by a person (day first, as in Chile); a MingaError if impossible."""
    cleaned = text.strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise MingaError(
        f"No se entiende {what} «{text}»: no es una fecha válida.",
        fix="Escriba una fecha real como 2026-03-02 o 02-03-2026 (día-mes-año).",
    )
