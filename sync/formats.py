"""minga's plain-data formats (``addin.backends.base``) as Sheets API v4 request objects.

Pure translation, no I/O: the backend collects what these functions return into its one
``spreadsheets:batchUpdate``.  What Sheets cannot express through the API is left out on
purpose and said here: print setup and zoom (no API), Excel tables (Sheets shows the same
rows with the header style and dropdowns), the sheet a workbook opens on (per user).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from openpyxl.utils.cell import column_index_from_string, range_boundaries

from addin.backends.base import FONT_NAME, FONT_SIZE, ConditionalRule, DataBar, Style, Validation

Json = dict[str, Any]
#: Excel's epoch as Sheets counts serial dates (day 0 = 30-12-1899).
EPOCH = date(1899, 12, 30)
DATE_PATTERN = "dd-mm-yyyy"
DATETIME_PATTERN = "dd-mm-yyyy hh:mm"
_BORDER = {"thin": "SOLID", "medium": "SOLID_MEDIUM", "hair": "DOTTED"}
_H_ALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}
_V_ALIGN = {"top": "TOP", "center": "MIDDLE", "bottom": "BOTTOM"}


def color(hex_rgb: str) -> Json:
    value = int(hex_rgb[-6:], 16)
    return {"red": (value >> 16) / 255, "green": ((value >> 8) & 255) / 255,
            "blue": (value & 255) / 255}


def hex_color(rgb: Json | None) -> str:
    """``RRGGBB`` of a Sheets colour; "" for none (Sheets omits zero channels: black is {})."""
    if rgb is None:
        return ""
    return "".join(f"{round(float(rgb.get(k, 0)) * 255):02X}" for k in ("red", "green", "blue"))


def serial(value: date | datetime) -> float | int:
    """A date as the serial number Sheets stores (days since 30-12-1899)."""
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86_400
    return (value - EPOCH).days


def from_serial(number: float, kind: str) -> date | datetime:
    if kind == "DATE":
        return EPOCH.fromordinal(EPOCH.toordinal() + int(number))
    whole = datetime(1899, 12, 30).toordinal() + int(number)
    seconds = round((number - int(number)) * 86_400)
    return datetime.fromordinal(whole).replace(hour=seconds // 3600,
                                               minute=seconds % 3600 // 60,
                                               second=seconds % 60)


def number_format(pattern: str) -> Json:
    """A Sheets ``NumberFormat`` for an Excel number format."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", pattern)
    if pattern == "@":
        kind = "TEXT"
    elif re.search(r"[dy]", bare, re.IGNORECASE):
        kind = "DATE_TIME" if re.search(r"[hs]", bare, re.IGNORECASE) else "DATE"
    elif "%" in bare:
        kind = "PERCENT"
    elif "$" in pattern:
        kind = "CURRENCY"
    else:
        kind = "NUMBER"
    return {"type": kind, "pattern": pattern}


def grid_range(sheet_id: int, ref: str) -> Json:
    """A1 (``B2``, ``A1:C9``, ``A:A``, ``3:3``) as a GridRange on ``sheet_id`` (0-based, open)."""
    ref = ref.replace("$", "")
    if re.fullmatch(r"[A-Z]+:[A-Z]+", ref):
        a, b = ref.split(":")
        return {"sheetId": sheet_id, "startColumnIndex": column_index_from_string(a) - 1,
                "endColumnIndex": column_index_from_string(b)}
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    grid: Json = {"sheetId": sheet_id}
    if min_row is not None:
        grid["startRowIndex"], grid["endRowIndex"] = min_row - 1, max_row
    if min_col is not None:
        grid["startColumnIndex"], grid["endColumnIndex"] = min_col - 1, max_col
    return grid


def column_range(sheet_id: int, letter: str) -> Json:
    index = column_index_from_string(letter) - 1
    return {"sheetId": sheet_id, "startColumnIndex": index, "endColumnIndex": index + 1}


def cell_format(style: Style, *, cell: bool = True) -> tuple[Json, list[str]]:
    """A ``CellFormat`` and the field paths it sets (only those: the rest is kept).

    ``cell=False`` is a conditional format's: no font face or size, as in Excel.
    """
    fmt: Json = {}
    fields: list[str] = []
    text: Json = {}
    if style.fill:
        fmt["backgroundColor"] = color(style.fill)
        fields.append("backgroundColor")
    if cell:
        text["fontFamily"] = style.font or FONT_NAME
        text["fontSize"] = int(style.size or FONT_SIZE)
    if style.bold or cell:
        text["bold"] = style.bold
    if style.italic or cell:
        text["italic"] = style.italic
    if style.font_color:
        text["foregroundColor"] = color(style.font_color)
    if text:
        fmt["textFormat"] = text
        fields += [f"textFormat.{k}" for k in text]
    if not cell:
        return fmt, fields
    if style.h_align:
        fmt["horizontalAlignment"] = _H_ALIGN[style.h_align]
        fields.append("horizontalAlignment")
    if style.v_align:
        fmt["verticalAlignment"] = _V_ALIGN[style.v_align]
        fields.append("verticalAlignment")
    fmt["wrapStrategy"] = "WRAP" if style.wrap else "OVERFLOW_CELL"
    fields.append("wrapStrategy")
    if style.rotation:
        fmt["textRotation"] = {"angle": style.rotation if style.rotation <= 90
                               else 90 - style.rotation}
        fields.append("textRotation")
    if style.border:
        side = {"style": _BORDER[style.border], "color": color(style.border_color)}
        fmt["borders"] = {k: side for k in ("top", "bottom", "left", "right")}
        fields.append("borders")
    if style.number_format:
        fmt["numberFormat"] = number_format(style.number_format)
        fields.append("numberFormat")
    return fmt, fields


def repeat_cell(grid: Json, fmt: Json, fields: Iterable[str]) -> Json:
    paths = ",".join(f"userEnteredFormat.{f}" for f in fields)
    return {"repeatCell": {"range": grid, "cell": {"userEnteredFormat": fmt}, "fields": paths}}


def _bound(value: float | date | None) -> Json:
    if isinstance(value, date):
        return {"userEnteredValue": f"{value:%Y-%m-%d}"}
    return {"userEnteredValue": repr(value)}


def data_validation(sheet_id: int, v: Validation) -> list[Json]:
    """``setDataValidation`` requests (one per space-separated range)."""
    if v.kind == "list":
        condition: Json = {"type": "ONE_OF_RANGE",
                           "values": [{"userEnteredValue": v.source or ""}]}
    else:
        kind = "DATE_BETWEEN" if v.kind == "date" else "NUMBER_BETWEEN"
        if v.minimum is None or v.maximum is None:
            kind = kind.replace("BETWEEN", "GREATER_THAN_EQ" if v.maximum is None
                                else "LESS_THAN_EQ")
            if kind.startswith("DATE"):
                kind = "DATE_ON_OR_AFTER" if v.maximum is None else "DATE_ON_OR_BEFORE"
        bounds = [b for b in (v.minimum, v.maximum) if b is not None]
        condition = {"type": kind, "values": [_bound(b) for b in bounds]}
    rule: Json = {"condition": condition, "strict": True, "showCustomUi": v.kind == "list"}
    if v.prompt:
        rule["inputMessage"] = v.prompt[:255]
    return [{"setDataValidation": {"range": grid_range(sheet_id, part), "rule": rule}}
            for part in v.range.split()]


def conditional_rule(sheet_id: int, rule: ConditionalRule, index: int) -> Json:
    fmt, _ = cell_format(rule.style, cell=False)
    if rule.style.border:
        pass  # Sheets' conditional formats have no borders
    return {"addConditionalFormatRule": {"index": index, "rule": {
        "ranges": [grid_range(sheet_id, part) for part in rule.range.split()],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                      "values": [{"userEnteredValue": rule.formula}]},
                        "format": fmt}}}}


def data_bar(sheet_id: int, bar: DataBar, index: int) -> Json:
    """Sheets has no data bars: a colour scale from white to the bar's colour says the same."""
    return {"addConditionalFormatRule": {"index": index, "rule": {
        "ranges": [grid_range(sheet_id, part) for part in bar.range.split()],
        "gradientRule": {
            "minpoint": {"color": color("FFFFFF"), "type": "NUMBER",
                         "value": repr(bar.minimum)},
            "maxpoint": {"color": color(bar.color), "type": "NUMBER",
                         "value": repr(bar.maximum)}}}}}
