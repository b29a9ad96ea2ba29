"""One read per sheet: a backend wrapper that remembers each sheet's values once read.

Actions are built from smaller steps that each read the sheet they need (populating reads
Programa for the start date and again for the cell to write it in).  Over a file that costs
nothing; over live Excel every read is a COM round trip and over Google Sheets an HTTP request
against a quota.  Wrapped in ``CachedBackend`` an action reads each sheet at most once: later
reads are served from memory, kept true by applying each block written to the remembered grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.utils.cell import coordinate_to_tuple

from addin.backends.base import Annotation, Backend, CellValue, Rows, SheetFormat


class CachedBackend:
    """``backend`` with ``read_values`` remembered per sheet; everything else passed on."""

    def __init__(self, backend: Backend) -> None:
        self.inner = backend
        self._values: dict[str, list[list[CellValue]]] = {}
        self._names: list[str] | None = None

    def sheet_names(self) -> list[str]:
        if self._names is None:
            self._names = list(self.inner.sheet_names())
        return list(self._names)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        if sheet not in self._values:
            self._values[sheet] = [list(r) for r in self.inner.read_values(sheet)]
        return [list(r) for r in self._values[sheet]]

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        self.inner.write_block(sheet, top_left, rows)
        grid = self._values.get(sheet)
        if grid is None:
            return
        r0, c0 = coordinate_to_tuple(top_left)
        for r, row in enumerate(rows, start=r0 - 1):
            while len(grid) <= r:
                grid.append([])
            line = grid[r]
            for c, value in enumerate(row, start=c0 - 1):
                while len(line) <= c:
                    line.append(None)
                line[c] = value

    def add_sheet(self, name: str) -> None:
        self.inner.add_sheet(name)
        self._names = None
        self._values[name] = []

    def clear_sheet(self, sheet: str) -> None:
        self.inner.clear_sheet(sheet)
        self._values[sheet] = []

    def move_sheet(self, sheet: str, after: str | None) -> None:
        self.inner.move_sheet(sheet, after)
        self._names = None

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        self.inner.format_sheet(sheet, fmt)

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        return self.inner.read_annotations(sheet, cells)

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        self.inner.write_annotations(sheet, annotations)

    def activate(self, sheet: str) -> None:
        self.inner.activate(sheet)

    def define_names(self, names: Mapping[str, str]) -> None:
        self.inner.define_names(names)

    def save(self) -> None:
        self.inner.save()
