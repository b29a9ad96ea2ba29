"""Cell values as people in Chile type them, parsed once into Python values.

Every parser takes whatever a spreadsheet library returned (str, int, float, bool, date,
datetime, None) and returns the typed value, or raises ``ValueError`` with a Spanish message
that the reader turns into a finding at the cell.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from addin.domain.text import normalise

EXCEL_EPOCH = date(1899, 12, 30)
#: Dates outside this range are typing mistakes (31-12-9999, 01-01-0001): a finding at their
#: cell, so that no rule ever does arithmetic near the ends of what a date can hold.
PLAUSIBLE_DATES = (date(1900, 1, 1), date(2199, 12, 31))
FORMULA_ERRORS = frozenset({"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                            "#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!",
                            "#BUSY!", "#CONNECT!", "#PYTHON!", "#UNKNOWN!", "#EXTERNAL!",
                            "#¡REF!", "#¡VALOR!", "#¿NOMBRE?", "#¡DIV/0!", "#¡NUM!", "#¡NULO!",
                            "#¡DESBORDAMIENTO!", "#¡CALC!"})
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y",
                 "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_TRUE = frozenset({"si", "s", "x", "1", "true", "verdadero", "yes", "y", "ok", "✓", "✔"})
_FALSE = frozenset({"no", "n", "0", "false", "falso", "-"})
#: Larger magnitudes are not amounts or counts anyone types (and would overflow arithmetic).
MAX_NUMBER = 1e15
_NUMBER = re.compile(r"^[+-]?[\d.,]+$")


class FormulaError(ValueError):
    """The cell holds a formula whose result is an error (#REF!, #N/A…)."""


class ErrorValue(str):
    """A cell the file marks as a formula error, with the error's text (#REF!, #SPILL!…)."""


class Unreadable(str):
    """A cell the file reader could not read; the text says what the file holds there."""


def check_fault(value: ErrorValue | Unreadable) -> None:
    """Raise the reading problem of a cell that holds an error or could not be read."""
    if isinstance(value, ErrorValue):
        raise FormulaError(f"la fórmula de la celda da error ({str(value)[:40]})")
    raise ValueError(f"la celda no se puede leer («{str(value)[:40]}»)")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_error(value: Any) -> None:
    if isinstance(value, str) and value.strip().upper() in FORMULA_ERRORS:
        raise FormulaError(f"la fórmula de la celda da error ({value.strip()})")


def parse_number(value: Any) -> float:
    """Numbers, and text such as «$1.250.000», «1.250.000,50», «1250000», «3,5»."""
    if isinstance(value, bool):
        raise ValueError("se esperaba un número, no Verdadero/Falso")
    if isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise ValueError(f"«{value}» no es un número razonable")
        return float(value)
    text = str(value).strip().replace("$", "").replace("CLP", "").replace(" ", "")
    text = text.replace("\u00a0", "")
    if not text or not _NUMBER.match(text):
        raise ValueError(f"«{value}» no es un número")
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if "," in text:  # Chilean decimal comma; dots are thousands
        whole, _, decimals = text.rpartition(",")
        if "," in whole or not decimals.isdigit():
            raise ValueError(f"«{value}» no es un número")
        text = whole.replace(".", "") + "." + decimals
    elif text.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")  # 1.250.000 or 1.250: thousands separators
    try:
        number = sign * float(text)
    except ValueError:
        raise ValueError(f"«{value}» no es un número") from None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ValueError(f"«{value}» no es un número razonable")
    return number


def parse_integer(value: Any) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise ValueError(f"«{value}» no es un número entero")
    return int(number)


def parse_percent(value: Any) -> float:
    """«50%», 0.5, 50 and «0,5» are all one half."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_number(value.strip()[:-1]) / 100
    else:
        number = parse_number(value)
        if number > 1:
            number /= 100
    if not 0 <= number <= 1:
        raise ValueError(f"«{value}» no es un porcentaje entre 0% y 100%")
    return number


def plausible(day: date) -> date:
    """``day`` if it lies in PLAUSIBLE_DATES, else a ValueError saying so."""
    if not PLAUSIBLE_DATES[0] <= day <= PLAUSIBLE_DATES[1]:
        raise ValueError(f"la fecha {day:%d-%m-%Y} no es plausible (se esperaba entre "
                         f"{PLAUSIBLE_DATES[0].year} y {PLAUSIBLE_DATES[1].year})")
    return day


def parse_date_value(value: Any) -> date:
    """Real dates, Excel serial numbers, and text dates day first (15-03-2026, 15/03/26);
    only dates between 1900 and 2199."""
    return plausible(_date_value(value))


def _date_value(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("se esperaba una fecha")
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"«{value}» no es una fecha")
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"«{value}» no es una fecha válida (use día-mes-año, ej. 15-03-2026)")


def parse_bool(value: Any) -> bool:
    """Sí/Si/sí/X/1/TRUE/Verdadero → True; No/0/FALSE/Falso → False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalise(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"«{value}» no es Sí o No")


def parse_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def clean_rut(value: Any) -> str:
    """A RUT without dots or spaces, upper-case K: «12.345.678-k» → «12345678-K»."""
    return parse_text(value).replace(".", "").replace(" ", "").upper()


def rut_check_digit(body: str) -> str:
    """The módulo-11 check digit of a RUT's numeric body."""
    total, factor = 0, 2
    for digit in reversed(body):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    rest = 11 - total % 11
    return {11: "0", 10: "K"}.get(rest, str(rest))


def rut_problem(rut: str) -> str | None:
    """Why a cleaned RUT is not valid, or None when it is."""
    match = re.fullmatch(r"(\d{1,9})-?([\dK])", rut)
    if not match:
        return f"el RUT «{rut}» no tiene la forma 12.345.678-9"
    body, digit = match.groups()
    expected = rut_check_digit(body)
    if digit != expected:
        return f"el dígito verificador del RUT «{rut}» no es correcto (debería ser {expected})"
    return None


class Choices:
    """Parses a value of a dropdown list, tolerant of case, accents and spaces."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed
        self.by_key = {normalise(option): option for option in allowed}

    def __call__(self, value: Any) -> str:
        found = self.by_key.get(normalise(parse_text(value)))
        if found is None:
            shown = ", ".join(self.allowed[:8]) + ("…" if len(self.allowed) > 8 else "")
            raise ValueError(f"«{value}» no es un valor de la lista ({shown})")
        return found


def shown(value: Any) -> str:
    """A value as a Chilean user reads it, for messages."""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)
