"""Dates as users type them: ISO, Chilean day-first with dashes or slashes, two-digit years."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from addin.errors import MingaError

D = TypeVar("D", date, datetime)

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


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: D, months: int) -> D:
    """``day`` moved by whole months, clipped to the month's end (31 January + 1 month = 28/29
    February): ``day + relativedelta(months=months)`` and Excel's ``EDATE``, without loading
    dateutil (and, through it, ``calendar`` and ``locale``) on every «Validar» press."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    last = _MONTH_DAYS[month - 1] + (month == 2 and year % 4 == 0
                                     and (year % 100 != 0 or year % 400 == 0))
    return day.replace(year=year, month=month, day=min(day.day, last))
