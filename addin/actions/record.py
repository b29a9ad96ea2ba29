"""minga's record of what it wrote into a person's workbook, kept in the workbook itself.

A hidden sheet, «minga-registro», lists each cell minga marked (with the note and fill the cell
had before, and the ones minga put) and each date ``minga poblar`` wrote.  With it minga can
undo exactly its own writing and nothing else: a mark is restored to the user's note and
fill, a date minga wrote may be recalculated, while a note, fill or date that a person put
there stays theirs.  The record lives in the workbook (not beside it) so it travels with the
file: by e-mail, to another computer, through Google Sheets.

The sheet is minga's, not part of any programme's layout; it is read and written with the
same bulk calls as every sheet.  It is data from the workbook, hence untrusted: a row that
does not parse is ignored, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from addin.backends.base import (
    MAX_CELL_TEXT,
    MAX_ROWS,
    Annotation,
    Backend,
    CellValue,
    SheetFormat,
)

RECORD_SHEET = "minga-registro"
TITLE = ("minga anota aquí lo que escribió en este libro (marcas de validación y fechas de la "
         "carta Gantt) para poder deshacerlo sin tocar lo que usted escribió. No edite esta hoja.")
COLUMNS = ("tipo", "hoja", "celda", "clave", "valor escrito", "nota de minga",
           "relleno de minga", "nota original", "autor de la nota original", "relleno original")
HEADER_ROW = 2  # 1-based; data rows follow
MARK, VALUE = "marca", "fecha"
#: At most this many entries fit under the title and header rows.
MAX_ENTRIES = MAX_ROWS - HEADER_ROW
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$")


def valid_cell(ref: str) -> bool:
    """Whether ``ref`` is one cell inside Excel's grid (A1 … XFD1048576)."""
    match = _CELL.match(ref)
    if not match:
        return False
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return col <= 16_384 and int(match.group(2)) <= MAX_ROWS


@dataclass(frozen=True)
class MarkEntry:
    """A cell minga marked: what it put there and what the cell had before.

    ``note`` is minga's own text (its findings), None when the mark left the note alone;
    ``fill`` is the fill minga put, None when it left the fill alone.
    """

    sheet: str
    cell: str
    note: str | None
    fill: str | None
    original: Annotation


@dataclass(frozen=True)
class ValueEntry:
    """A value minga wrote (a date of ``minga poblar``), found again by its key, not its cell:
    users insert rows."""

    sheet: str
    cell: str
    key: str
    value: date


@dataclass
class Record:
    marks: list[MarkEntry] = field(default_factory=list)
    values: list[ValueEntry] = field(default_factory=list)

    @classmethod
    def load(cls, backend: Backend) -> Record:
        if RECORD_SHEET not in backend.sheet_names():
            return cls()
        rows = backend.read_values(RECORD_SHEET)
        record = cls()
        header = next((i for i, row in enumerate(rows[:10])
                       if row and _text(row[0]) == COLUMNS[0]), None)
        if header is None:
            return record
        where = {_text(name): i for i, name in enumerate(rows[header])}
        if any(name not in where for name in COLUMNS):
            return record

        def get(row: list[CellValue], name: str) -> CellValue:
            i = where[name]
            return row[i] if i < len(row) else None

        for row in rows[header + 1:]:
            kind, sheet, cell = (_text(get(row, n)) for n in ("tipo", "hoja", "celda"))
            if not sheet or not valid_cell(cell):
                continue
            cell = cell.replace("$", "")
            if kind == MARK:
                note, fill = _text(get(row, "nota de minga")), _text(get(row, "relleno de minga"))
                if not note and not fill:
                    continue
                original_note = _text(get(row, "nota original"))
                author = _text(get(row, "autor de la nota original"))
                record.marks.append(MarkEntry(
                    sheet, cell, note or None, fill or None,
                    Annotation(original_note if original_note or author else None, author,
                               _text(get(row, "relleno original")))))
            elif kind == VALUE:
                value, key = get(row, "valor escrito"), _text(get(row, "clave"))
                if isinstance(value, datetime):
                    value = value.date()
                if key and isinstance(value, date):
                    record.values.append(ValueEntry(sheet, cell, key, value))
        return record

    def save(self, backend: Backend) -> None:
        """Rewrite the record sheet (created, at the end and hidden, when first needed)."""
        if RECORD_SHEET in backend.sheet_names():
            backend.clear_sheet(RECORD_SHEET)
        elif not self.marks and not self.values:
            return
        else:
            backend.add_sheet(RECORD_SHEET)
        rows: list[list[CellValue]] = [[TITLE] + [None] * (len(COLUMNS) - 1), list(COLUMNS)]
        for m in self.marks[:MAX_ENTRIES]:
            rows.append([MARK, m.sheet, m.cell, None, None, m.note, m.fill,
                         m.original.note, m.original.author or None,
                         m.original.fill or None])
        for v in self.values[:MAX_ENTRIES - len(self.marks)]:
            rows.append([VALUE, v.sheet, v.cell, v.key, v.value] + [None] * 5)
        backend.write_block(RECORD_SHEET, "A1", rows)
        backend.format_sheet(RECORD_SHEET, SheetFormat(
            hidden=True, column_widths={"A": 8, "B": 22, "C": 8, "D": 22, "E": 12, "F": 40,
                                        "G": 12, "H": 40, "I": 16, "J": 16}))


def fits(text: str | None) -> bool:
    """Whether ``text`` can be kept whole in one cell of the record."""
    return text is None or len(text) <= MAX_CELL_TEXT


def _text(value: CellValue) -> str:
    return "" if value is None else str(value)
