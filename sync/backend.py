"""The gspread backend: a Google Sheet behind ``addin.backends.base.Backend``.

Bulk by construction.  Opening costs one ``spreadsheets.get`` (sheet properties, and per cell
only its number-format type, formula, note and fill, through a field mask); the first read
costs one ``values:batchGet`` for every sheet at once; every write is kept in a local mirror
and ``save()`` sends all of them in at most two requests: one ``spreadsheets:batchUpdate``
(sheets, formats, dropdowns, conditional formats, notes, fills, formulas) then one
``values:batchUpdate``.  A whole-workbook push or pull is thus a constant number of requests
whatever the number of rows.

Values go with ``valueInputOption=RAW``: a text is stored as text even if it starts with
``=``, ``+``, ``-`` or ``@`` (Sheets itself guarantees it; no formula injection), numbers as
numbers, dates as serial numbers under a date format.  Only ``Formula`` values become
formulas, written as ``formulaValue`` in the batchUpdate.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gspread.exceptions import APIError
from gspread.utils import a1_to_rowcol, rowcol_to_a1

from addin.backends.base import (
    Annotation,
    CellValue,
    Formula,
    Rows,
    SheetFormat,
)
from addin.errors import MingaError
from sync import formats as F
from sync.http import MingaHTTPClient

Cell = tuple[int, int]  # 0-based row, column
#: What ``open`` asks for, per cell only what minga needs (the values come from batchGet).
OPEN_FIELDS = ("spreadsheetId,properties.title,namedRanges(namedRangeId,name),"
               "sheets(properties(sheetId,title,index,hidden,gridProperties),"
               "data(startRow,startColumn,rowData.values(userEnteredValue.formulaValue,"
               "userEnteredFormat(numberFormat.type,backgroundColor),note)))")
MIN_ROWS, MIN_COLUMNS = 1000, 26


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


@dataclass
class RemoteSheet:
    """The mirror of one sheet: what minga knows of it, updated by every write."""

    id: int
    title: str
    hidden: bool = False
    rows: int = MIN_ROWS
    columns: int = MIN_COLUMNS
    values: dict[Cell, CellValue] = field(default_factory=dict)
    formulas: dict[Cell, str] = field(default_factory=dict)
    notes: dict[Cell, str] = field(default_factory=dict)
    fills: dict[Cell, str] = field(default_factory=dict)
    date_kinds: dict[Cell, str] = field(default_factory=dict)  # DATE / DATE_TIME
    date_ranges: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    dirty: set[Cell] = field(default_factory=set)
    new: dict[str, Any] | None = None  # its addSheet request, while not yet sent
    need_rows: int = 0
    need_columns: int = 0

    def touch(self, row: int, column: int) -> None:
        self.need_rows = max(self.need_rows, row + 1)
        self.need_columns = max(self.need_columns, column + 1)

    def is_date(self, cell: Cell) -> str | None:
        if cell in self.date_kinds:
            return self.date_kinds[cell]
        r, c = cell
        for r0, r1, c0, c1, kind in reversed(self.date_ranges):
            if r0 <= r < r1 and c0 <= c < c1:
                return kind or None
        return None


class GspreadBackend:
    """A Google Sheet read and written in bulk through gspread's HTTP client."""

    def __init__(self, http: MingaHTTPClient, key: str, metadata: Mapping[str, Any]) -> None:
        self.http = http
        self.key = key
        self.title = str(metadata.get("properties", {}).get("title", ""))
        self.sheets: list[RemoteSheet] = [_mirror(s) for s in metadata.get("sheets", [])]
        self.names = {n["name"]: n.get("namedRangeId") for n in metadata.get("namedRanges", [])}
        self._values_loaded = False
        self._requests: list[dict[str, Any]] = []
        self._rng = random.Random()
        self.sent = {"batchUpdate": 0, "values": 0}

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, http: MingaHTTPClient, key: str) -> GspreadBackend:
        try:
            metadata = http.fetch_sheet_metadata(key, params={"includeGridData": "true",
                                                              "fields": OPEN_FIELDS})
        except APIError as exc:
            raise api_error(exc, key) from None
        return cls(http, key, metadata)

    def _sheet(self, title: str) -> RemoteSheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise MingaError(f"La planilla no tiene la hoja «{title}».", sheet=title,
                         fix="Restaure la hoja o suba de nuevo el libro con minga.")

    def _load_values(self) -> None:
        """Every sheet's values in one ``values:batchGet``."""
        remote = [s for s in self.sheets if s.new is None]
        if self._values_loaded or not remote:
            self._values_loaded = True
            return
        ranges = [quote_title(s.title) for s in remote]
        try:
            answer = self.http.values_batch_get(self.key, ranges, params={
                "valueRenderOption": "UNFORMATTED_VALUE",
                "dateTimeRenderOption": "SERIAL_NUMBER", "majorDimension": "ROWS"})
        except APIError as exc:
            raise api_error(exc, self.key) from None
        for sheet, value_range in zip(remote, answer.get("valueRanges", []), strict=False):
            start_row, start_col = _range_start(value_range.get("range", "A1"))
            for r, row in enumerate(value_range.get("values", []), start=start_row):
                for c, value in enumerate(row, start=start_col):
                    if value == "" or value is None:
                        continue
                    kind = sheet.is_date((r, c))
                    if kind and isinstance(value, int | float) and not isinstance(value, bool):
                        value = F.from_serial(value, kind)
                    sheet.values.setdefault((r, c), value)
        self._values_loaded = True

    # --- reading ------------------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        return [s.title for s in self.sheets]

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        self._load_values()
        return _grid(self._sheet(sheet).values)

    def read_cells(self, sheet: str) -> dict[Cell, CellValue]:
        """Values by cell, a formula cell as its ``Formula`` (what sync compares)."""
        self._load_values()
        s = self._sheet(sheet)
        cells = dict(s.values)
        for cell, text in s.formulas.items():
            cells[cell] = Formula(text)
        return cells

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        s = self._sheet(sheet)
        found = {}
        for ref in cells:
            row, col = a1_to_rowcol(ref)
            cell = (row - 1, col - 1)
            note = s.notes.get(cell)
            found[ref] = Annotation(note=note, author="", fill=s.fills.get(cell, ""))
        return found

    # --- writing (mirrored now, sent by save) ---------------------------------------------

    def add_sheet(self, name: str) -> None:
        if name in self.sheet_names():
            raise ValueError(f"sheet {name!r} exists")
        self._new_sheet(name, len(self.sheets))

    def _new_sheet(self, name: str, index: int) -> RemoteSheet:
        used = {s.id for s in self.sheets}
        sheet_id = self._rng.randrange(1, 2**31 - 1)
        while sheet_id in used:
            sheet_id = self._rng.randrange(1, 2**31 - 1)
        sheet = RemoteSheet(sheet_id, name)
        sheet.new = {"addSheet": {"properties": {"sheetId": sheet_id, "title": name,
                                                 "index": index}}}
        self._requests.append(sheet.new)
        self.sheets.insert(index, sheet)
        return sheet

    def clear_sheet(self, sheet: str) -> None:
        """Sheets has no "clear everything": the sheet is deleted and added again, same place."""
        old = self._sheet(sheet)
        index = self.sheets.index(old)
        self._requests.append({"deleteSheet": {"sheetId": old.id}})
        self.sheets.remove(old)
        self._new_sheet(sheet, index)

    def remove_sheet(self, sheet: str) -> None:
        """Delete a sheet (not in the interface: only sync removes the empty first sheet)."""
        old = self._sheet(sheet)
        self.sheets.remove(old)
        if old.new is not None:
            self._requests.remove(old.new)
        else:
            self._requests.append({"deleteSheet": {"sheetId": old.id}})

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        self._load_values()
        s = self._sheet(sheet)
        r0, c0 = a1_to_rowcol(top_left)
        for r, row in enumerate(rows, start=r0 - 1):
            for c, value in enumerate(row, start=c0 - 1):
                cell = (r, c)
                s.formulas.pop(cell, None)
                s.values.pop(cell, None)
                if isinstance(value, Formula):
                    s.formulas[cell] = value.text
                elif value is not None and value != "":
                    s.values[cell] = value
                s.dirty.add(cell)
                s.touch(r, c)

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        s = self._sheet(sheet)
        add = self._requests.append
        sid = s.id
        for letter, width in fmt.column_widths.items():
            add(_dimension(sid, "COLUMNS", F.column_range(sid, letter), round(width * 7 + 5)))
        for letter, pattern in fmt.column_formats.items():
            grid = F.column_range(sid, letter)
            add(F.repeat_cell(grid, {"numberFormat": F.number_format(pattern)},
                              ["numberFormat"]))
            self._note_format(s, grid, pattern)
        for letter, style in fmt.column_styles.items():
            grid = F.column_range(sid, letter)
            cell_fmt, fields = F.cell_format(style)
            add(F.repeat_cell(grid, cell_fmt, fields))
            if style.number_format:
                self._note_format(s, grid, style.number_format)
        for row, height in fmt.row_heights.items():
            add(_dimension(sid, "ROWS", {"sheetId": sid, "startRowIndex": row - 1,
                                         "endRowIndex": row}, round(height * 4 / 3)))
            s.touch(row - 1, 0)
        for row in fmt.hidden_rows:
            add(_hide(sid, "ROWS", row - 1))
        for letter in fmt.hidden_columns:
            add(_hide(sid, "COLUMNS", F.column_range(sid, letter)["startColumnIndex"]))
        for styled in fmt.styles:
            grid = F.grid_range(sid, styled.range)
            self._grow(s, grid)
            cell_fmt, fields = F.cell_format(styled.style)
            add(F.repeat_cell(grid, cell_fmt, fields))
            if styled.style.number_format:
                self._note_format(s, grid, styled.style.number_format)
        for merged in fmt.merges:
            grid = F.grid_range(sid, merged)
            self._grow(s, grid)
            add({"mergeCells": {"range": grid, "mergeType": "MERGE_ALL"}})
        for validation in fmt.validations:
            for request in F.data_validation(sid, validation):
                self._grow(s, request["setDataValidation"]["range"])
                add(request)
        index = 0
        for bar in fmt.data_bars:
            add(F.data_bar(sid, bar, index))
            index += 1
        for rule in fmt.conditional:
            request = F.conditional_rule(sid, rule, index)
            for grid in request["addConditionalFormatRule"]["rule"]["ranges"]:
                self._grow(s, grid)
            add(request)
            index += 1
        for note in fmt.notes:
            self._annotate(s, note.cell, note=note.text, fill=None)
        for link in fmt.links:
            target = self._sheet(link.target_sheet).id
            grid = F.grid_range(sid, link.cell)
            add(F.repeat_cell(grid, {"textFormat": {
                "link": {"uri": f"#gid={target}&range={link.target}"},
                "foregroundColor": F.color("0563C1"), "underline": True}},
                ["textFormat.link", "textFormat.foregroundColor", "textFormat.underline"]))
        props: dict[str, Any] = {"sheetId": sid}
        fields = []
        if fmt.freeze:
            row, col = a1_to_rowcol(fmt.freeze.replace("$", ""))
            props["gridProperties"] = {"frozenRowCount": row - 1, "frozenColumnCount": col - 1}
            fields += ["gridProperties.frozenRowCount", "gridProperties.frozenColumnCount"]
        if not fmt.gridlines:
            props.setdefault("gridProperties", {})["hideGridlines"] = True
            fields.append("gridProperties.hideGridlines")
        if fmt.tab_color:
            props["tabColor"] = F.color(fmt.tab_color)
            fields.append("tabColor")
        if fmt.hidden:
            props["hidden"] = True
            fields.append("hidden")
            s.hidden = True
        if fields:
            add({"updateSheetProperties": {"properties": props, "fields": ",".join(fields)}})
        if fmt.protect:
            free = [F.column_range(sid, letter) for letter, style in fmt.column_styles.items()
                    if style.locked is False]
            free += [F.grid_range(sid, st.range) for st in fmt.styles if st.style.locked is False]
            add({"addProtectedRange": {"protectedRange": {
                "range": {"sheetId": sid}, "warningOnly": True, "unprotectedRanges": free,
                "description": "minga: fórmulas de la plantilla (se puede editar con aviso)"}}})

    def _note_format(self, s: RemoteSheet, grid: Mapping[str, int], pattern: str) -> None:
        kind = F.number_format(pattern)["type"]
        s.date_ranges.append((grid.get("startRowIndex", 0), grid.get("endRowIndex", 10**7),
                              grid.get("startColumnIndex", 0),
                              grid.get("endColumnIndex", 10**5),
                              kind if kind in ("DATE", "DATE_TIME") else ""))

    @staticmethod
    def _grow(s: RemoteSheet, grid: Mapping[str, int]) -> None:
        if "endRowIndex" in grid:
            s.touch(grid["endRowIndex"] - 1, 0)
        if "endColumnIndex" in grid:
            s.touch(0, grid["endColumnIndex"] - 1)

    def _annotate(self, s: RemoteSheet, ref: str, note: str | None, fill: str | None) -> None:
        row, col = a1_to_rowcol(ref)
        cell = (row - 1, col - 1)
        s.touch(*cell)
        value: dict[str, Any] = {}
        fields = []
        if note is not False:
            if note is None:
                s.notes.pop(cell, None)
            else:
                s.notes[cell] = note
                value["note"] = note
            fields.append("note")
        if fill is not None:
            if fill:
                s.fills[cell] = fill
                value["userEnteredFormat"] = {"backgroundColor": F.color(fill)}
            else:
                s.fills.pop(cell, None)
            fields.append("userEnteredFormat.backgroundColor")
        self._requests.append({"updateCells": {
            "start": {"sheetId": s.id, "rowIndex": cell[0], "columnIndex": cell[1]},
            "rows": [{"values": [value]}], "fields": ",".join(fields)}})

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        s = self._sheet(sheet)
        for ref, wanted in annotations.items():
            fill = wanted.fill if len(wanted.fill) in (0, 6) else ""
            self._annotate(s, ref, note=wanted.note, fill=fill)

    def move_sheet(self, sheet: str, after: str | None) -> None:
        s = self._sheet(sheet)
        old = self.sheets.index(s)
        self.sheets.remove(s)
        index = 0 if after is None else self.sheets.index(self._sheet(after)) + 1
        self.sheets.insert(index, s)
        # Sheets counts indexes before the move: moving right, one more.
        self._requests.append({"updateSheetProperties": {
            "properties": {"sheetId": s.id, "index": index + 1 if index > old else index},
            "fields": "index"}})

    def activate(self, sheet: str) -> None:
        """Sheets opens on each person's last sheet; the API has nothing to set: unhide only."""
        s = self._sheet(sheet)
        if s.hidden:
            s.hidden = False
            self._requests.append({"updateSheetProperties": {
                "properties": {"sheetId": s.id, "hidden": False}, "fields": "hidden"}})

    def define_names(self, names: Mapping[str, str]) -> None:
        for name, ref in names.items():
            title, _, cells = ref.rpartition("!")
            title = title.strip("'").replace("''", "'")
            grid = F.grid_range(self._sheet(title).id, cells)
            if self.names.get(name):
                self._requests.append({"deleteNamedRange": {"namedRangeId": self.names[name]}})
            self._requests.append({"addNamedRange": {"namedRange": {"name": name,
                                                                    "range": grid}}})
            self.names[name] = None

    # --- sending ------------------------------------------------------------------------

    def pending(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The batchUpdate requests and the value ranges ``save`` would send."""
        requests: list[dict[str, Any]] = []
        ranges: list[dict[str, Any]] = []
        for s in self.sheets:
            rows = max(s.need_rows, MIN_ROWS if s.new else s.rows)
            columns = max(s.need_columns, MIN_COLUMNS if s.new else s.columns)
            if s.new is not None:
                s.new["addSheet"]["properties"]["gridProperties"] = {
                    "rowCount": rows, "columnCount": columns}
            elif rows > s.rows or columns > s.columns:
                requests.append({"updateSheetProperties": {"properties": {
                    "sheetId": s.id, "gridProperties": {"rowCount": rows,
                                                        "columnCount": columns}},
                    "fields": "gridProperties.rowCount,gridProperties.columnCount"}})
        requests += self._requests
        for s in self.sheets:
            if not s.dirty:
                continue
            formats: dict[int, list[int]] = {}
            for cell in sorted(s.dirty):
                if cell in s.formulas:
                    requests.append({"updateCells": {
                        "start": {"sheetId": s.id, "rowIndex": cell[0], "columnIndex": cell[1]},
                        "rows": [{"values": [{"userEnteredValue": {
                            "formulaValue": s.formulas[cell]}}]}],
                        "fields": "userEnteredValue"}})
                value = s.values.get(cell)
                if isinstance(value, date) and not s.is_date(cell):
                    formats.setdefault(cell[1], []).append(cell[0])
            for column, rows_ in formats.items():
                for start, end in _runs(rows_):
                    grid = {"sheetId": s.id, "startRowIndex": start, "endRowIndex": end,
                            "startColumnIndex": column, "endColumnIndex": column + 1}
                    pattern = F.DATE_PATTERN
                    if any(isinstance(s.values.get((r, column)), datetime)
                           for r in range(start, end)):
                        pattern = F.DATETIME_PATTERN
                    requests.append(F.repeat_cell(grid, {"numberFormat": F.number_format(
                        pattern)}, ["numberFormat"]))
            ranges.append(_value_range(s))
        return requests, ranges

    def save(self) -> None:
        requests, ranges = self.pending()
        try:
            if requests:
                self.http.batch_update(self.key, {"requests": requests})
                self.sent["batchUpdate"] += 1
            if ranges:
                self.http.values_batch_update(self.key, {"valueInputOption": "RAW",
                                                         "data": ranges})
                self.sent["values"] += 1
        except APIError as exc:
            raise api_error(exc, self.key) from None
        self._requests.clear()
        for s in self.sheets:
            s.dirty.clear()
            if s.new is not None:
                s.rows = s.new["addSheet"]["properties"]["gridProperties"]["rowCount"]
                s.columns = s.new["addSheet"]["properties"]["gridProperties"]["columnCount"]
                s.new = None
            s.rows, s.columns = max(s.rows, s.need_rows), max(s.columns, s.need_columns)


def _mirror(sheet: Mapping[str, Any]) -> RemoteSheet:
    props = sheet.get("properties", {})
    grid = props.get("gridProperties", {})
    s = RemoteSheet(int(props.get("sheetId", 0)), str(props.get("title", "")),
                    hidden=bool(props.get("hidden", False)),
                    rows=int(grid.get("rowCount", MIN_ROWS)),
                    columns=int(grid.get("columnCount", MIN_COLUMNS)))
    for block in sheet.get("data", []) or []:
        r0, c0 = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
        for r, row in enumerate(block.get("rowData", []) or [], start=r0):
            for c, value in enumerate(row.get("values", []) or [], start=c0):
                formula = (value.get("userEnteredValue") or {}).get("formulaValue")
                if formula:
                    s.formulas[(r, c)] = formula
                fmt = value.get("userEnteredFormat") or {}
                kind = (fmt.get("numberFormat") or {}).get("type")
                if kind in ("DATE", "DATE_TIME"):
                    s.date_kinds[(r, c)] = kind
                fill = F.hex_color(fmt.get("backgroundColor"))
                if fill and fill != "FFFFFF":
                    s.fills[(r, c)] = fill
                if value.get("note"):
                    s.notes[(r, c)] = value["note"]
    return s


def _grid(cells: Mapping[Cell, CellValue]) -> list[list[CellValue]]:
    if not cells:
        return []
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    rows: list[list[CellValue]] = [[None] * width for _ in range(height)]
    for (r, c), value in cells.items():
        rows[r][c] = value
    return rows


def _range_start(a1: str) -> Cell:
    ref = a1.rpartition("!")[2].split(":")[0].replace("$", "")
    if not ref or not any(ch.isdigit() for ch in ref):
        return 0, 0
    row, col = a1_to_rowcol(ref)
    return row - 1, col - 1


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for r in sorted(rows):
        if runs and runs[-1][1] == r:
            runs[-1] = (runs[-1][0], r + 1)
        else:
            runs.append((r, r + 1))
    return runs


def _raw(value: CellValue) -> Any:
    """A value for ``valueInputOption=RAW``: text stays text, dates become serial numbers."""
    if isinstance(value, Formula):
        return None  # skipped: written as formulaValue in the batchUpdate
    if value is None:
        return ""
    if isinstance(value, date):
        return F.serial(value)
    return value


def _value_range(s: RemoteSheet) -> dict[str, Any]:
    """One rectangle over the sheet's changed cells; unchanged cells inside are null (kept)."""
    r0 = min(r for r, _ in s.dirty)
    r1 = max(r for r, _ in s.dirty)
    c0 = min(c for _, c in s.dirty)
    c1 = max(c for _, c in s.dirty)
    rows = []
    for r in range(r0, r1 + 1):
        rows.append([(None if (r, c) in s.formulas else _raw(s.values.get((r, c))))
                     if (r, c) in s.dirty else None for c in range(c0, c1 + 1)])
    return {"range": f"{quote_title(s.title)}!{rowcol_to_a1(r0 + 1, c0 + 1)}:"
                     f"{rowcol_to_a1(r1 + 1, c1 + 1)}", "majorDimension": "ROWS",
            "values": rows}


def _dimension(sid: int, dimension: str, grid: Mapping[str, int], pixels: int) -> dict[str, Any]:
    key = "Row" if dimension == "ROWS" else "Column"
    rng = {"sheetId": sid, "dimension": dimension,
           "startIndex": grid[f"start{key}Index"], "endIndex": grid[f"end{key}Index"]}
    return {"updateDimensionProperties": {"range": rng, "properties": {"pixelSize": pixels},
                                          "fields": "pixelSize"}}


def _hide(sid: int, dimension: str, index: int) -> dict[str, Any]:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sid, "dimension": dimension, "startIndex": index,
                  "endIndex": index + 1},
        "properties": {"hiddenByUser": True}, "fields": "hiddenByUser"}}


def api_error(exc: APIError, key: str) -> MingaError:
    """An API error as a Spanish message saying what to do (never the token or the body)."""
    code = exc.code
    if code == 404:
        return MingaError(f"No existe la planilla de Google «{key}» (o no está compartida).",
                          fix="Revise la dirección, y compártala con la cuenta de servicio "
                              "(su correo está en la clave JSON, «client_email»).")
    if code in (401, 403):
        return MingaError(f"Google rechazó el acceso a la planilla «{key}» ({code}).",
                          fix="Compártala como Editor con la cuenta que usa minga, o revise "
                              "las credenciales (vea «Google Sheets» en el README).")
    message = str(getattr(exc, "error", {}).get("message", ""))[:300]
    return MingaError(f"Google Sheets rechazó la operación ({code}): {message}",
                      fix="Nada quedó a medias en su archivo local; si se repite, repórtelo.")
