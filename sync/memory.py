"""A workbook held in memory, from the values a Google Sheet posts to ``minga servir``.

The Apps Script menu sends each sheet's values (and notes and fills); the actions run on this
backend exactly as on a file; what they changed goes back as a list of writes the script
applies in bulk.  Formats are not sent back: the Sheet has them from its first push.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gspread.utils import a1_to_rowcol, rowcol_to_a1

from addin.backends.base import Annotation, CellValue, Formula, Rows, SheetFormat
from addin.errors import MingaError
from sync.merge import rows_of

Cell = tuple[int, int]


@dataclass
class MemorySheet:
    values: dict[Cell, CellValue] = field(default_factory=dict)
    notes: dict[Cell, str] = field(default_factory=dict)
    fills: dict[Cell, str] = field(default_factory=dict)
    dirty: set[Cell] = field(default_factory=set)
    marked: set[Cell] = field(default_factory=set)
    cleared: bool = False
    new: bool = False


class MemoryBackend:
    """``Backend`` over posted values; remembers what changed for the answer."""

    def __init__(self, sheets: Mapping[str, MemorySheet]) -> None:
        self.sheets: dict[str, MemorySheet] = dict(sheets)
        self.active: str | None = None
        self.hidden: set[str] = set()

    def _sheet(self, name: str) -> MemorySheet:
        if name not in self.sheets:
            raise MingaError(f"La planilla no tiene la hoja «{name}».", sheet=name,
                             fix="Restaure la hoja o vuelva a subir el libro con minga.")
        return self.sheets[name]

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        return rows_of(self._sheet(sheet).values)

    def add_sheet(self, name: str) -> None:
        if name in self.sheets:
            raise ValueError(f"sheet {name!r} exists")
        self.sheets[name] = MemorySheet(new=True)

    def clear_sheet(self, sheet: str) -> None:
        s = self._sheet(sheet)
        s.values.clear()
        s.notes.clear()
        s.fills.clear()
        s.dirty.clear()
        s.cleared = True

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        s = self._sheet(sheet)
        r0, c0 = a1_to_rowcol(top_left)
        for r, row in enumerate(rows, start=r0 - 1):
            for c, value in enumerate(row, start=c0 - 1):
                if isinstance(value, Formula):
                    value = None  # the script never writes formulas: the template has them
                if value is None or value == "":
                    s.values.pop((r, c), None)
                else:
                    s.values[(r, c)] = value
                s.dirty.add((r, c))

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        self._sheet(sheet)
        if fmt.hidden:
            self.hidden.add(sheet)

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        s = self._sheet(sheet)
        out = {}
        for ref in cells:
            r, c = a1_to_rowcol(ref)
            out[ref] = Annotation(note=s.notes.get((r - 1, c - 1)), author="",
                                  fill=s.fills.get((r - 1, c - 1), ""))
        return out

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        s = self._sheet(sheet)
        for ref, wanted in annotations.items():
            r, c = a1_to_rowcol(ref)
            cell = (r - 1, c - 1)
            if wanted.note is None:
                s.notes.pop(cell, None)
            else:
                s.notes[cell] = wanted.note
            fill = wanted.fill if len(wanted.fill) == 6 else ""
            if fill:
                s.fills[cell] = fill
            else:
                s.fills.pop(cell, None)
            s.marked.add(cell)

    def move_sheet(self, sheet: str, after: str | None) -> None:
        self._sheet(sheet)

    def activate(self, sheet: str) -> None:
        self.active = self._sheet(sheet) and sheet

    def define_names(self, names: Mapping[str, str]) -> None:
        pass

    def save(self) -> None:
        pass

    # --- the answer -------------------------------------------------------------------------

    def changes(self, encode: Any) -> dict[str, Any]:
        """What the script must do: sheets to add or clear, value runs, notes and fills."""
        values = []
        marks = []
        for name, s in self.sheets.items():
            by_row: dict[int, list[int]] = {}
            for r, c in s.dirty:
                by_row.setdefault(r, []).append(c)
            for r, cols in sorted(by_row.items()):
                cols.sort()
                start = prev = cols[0]
                for c in [*cols[1:], None]:
                    if c is not None and c == prev + 1:
                        prev = c
                        continue
                    values.append({"hoja": name, "celda": rowcol_to_a1(r + 1, start + 1),
                                   "filas": [[encode(s.values.get((r, k)))
                                              for k in range(start, prev + 1)]]})
                    if c is not None:
                        start = prev = c
            for r, c in sorted(s.marked):
                fill = s.fills.get((r, c), "")
                marks.append({"hoja": name, "celda": rowcol_to_a1(r + 1, c + 1),
                              "nota": s.notes.get((r, c)),
                              "fondo": f"#{fill.lower()}" if fill else None})
        return {"hojas_nuevas": [n for n, s in self.sheets.items() if s.new],
                "limpiar": [n for n, s in self.sheets.items() if s.cleared and not s.new],
                "valores": values, "marcas": marks, "activar": self.active,
                "ocultar": sorted(self.hidden)}
