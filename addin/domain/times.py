"""Times of day as users type them: ``8:30``, ``16:30``, ``4:30 pm``, ``12:15 am``, or the
time (or fraction of a day) a spreadsheet cell holds."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_time(value: Any) -> time:
    """A time of day; «12:15 am» is a quarter past midnight, as the clock says."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, bool):
        raise ValueError("se esperaba una hora")
    if isinstance(value, int | float):
        if 0 <= value < 1:  # a fraction of a day, as spreadsheets store times
            minutes = round(value * 24 * 60)
            if minutes < 24 * 60:
                return time(minutes // 60, minutes % 60)
        raise ValueError(f"«{value}» no es una hora")
    text = str(value).strip()
    match = _TIME.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        half = (match[3] or "").lower()
        if half and 1 <= hour <= 12 and minute < 60:
            return time(hour % 12 + (12 if half == "p" else 0), minute)
        if not half and hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"«{value}» no es una hora del día (escriba, por ejemplo, 8:30, 16:30 o "
                     "4:30 pm)")


def minutes(moment: time) -> int:
    """Minutes since midnight."""
    return moment.hour * 60 + moment.minute


def clock(moment: time) -> str:
    """«16:30»: how the findings write a time."""
    return f"{moment.hour}:{moment.minute:02d}"
