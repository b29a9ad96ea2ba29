"""An in-memory stand-in for xlwings' ``Book``/``Sheet``/``Range``: the one mock of Excel.

xlwings drives a running Excel (COM on Windows, AppleScript on macOS) and cannot run on Linux,
so the xlwings backend and the RunPython entry points are tested against this.  It follows
xlwings' documented behaviour (xlwings/main.py, 0.37): ``Range.value`` gives a scalar for one
cell, a list for one row or column and a list of lists for 2-D unless ``options(ndim=2)``
asks for 2-D always; numbers come back as floats and dates as datetimes; setting a list of
lists writes it from the range's top-left cell; a string starting with ``'`` is stored as the
text after it (Excel's prefix character) and one starting with ``=`` is a formula;
``Sheet.used_range`` spans the cells holding values or formats (``A1`` on an empty sheet);
``Sheets.add`` refuses a name already present; ``Range.add_note`` refuses a cell that has one;
``App.alert`` is VBA's ``MsgBox``.

Every call that would cross to Excel is counted in ``Book.calls`` (``read`` = a ``.value``
read, ``write`` = a ``.value`` write, ``format`` = any formatting property set), so tests
can assert one read per sheet and writes in blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from typing import Any

from openpyxl.utils.cell import column_index_from_string, get_column_letter

Cell = tuple[int, int]  # (row, column), 1-based


def _bounds(address: str) -> tuple[int, int, int, int]:
    """(row1, col1, row2, col2) of ``A1``, ``A1:C3``, ``A:A`` or ``2:2`` ($ ignored)."""
    address = address.replace("$", "")
    if "!" in address:
        address = address.split("!", 1)[1]
    parts = address.split(":")
    first, last = parts[0], parts[-1]
    if re.fullmatch(r"[A-Z]+", first):  # whole columns
        return 1, column_index_from_string(first), 1_048_576, column_index_from_string(last)
    if re.fullmatch(r"\d+", first):  # whole rows
        return int(first), 1, int(last), 16_384
    m1 = re.fullmatch(r"([A-Z]+)(\d+)", first)
    m2 = re.fullmatch(r"([A-Z]+)(\d+)", last)
    assert m1 and m2, address
    return (int(m1[2]), column_index_from_string(m1[1]), int(m2[2]),
            column_index_from_string(m2[1]))


class Books:
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.active: Book | None = None

    def open(self, fullname: str) -> None:
        self.opened.append(fullname)


class App:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.alerts: list[dict[str, Any]] = []
        self.books = Books()

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> str:
        self.book.calls["alert"] += 1
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"


class Note:
    def __init__(self, sheet: Sheet, cell: Cell) -> None:
        self._sheet, self._cell = sheet, cell

    @property
    def text(self) -> str:
        return self._sheet.notes[self._cell]

    @text.setter
    def text(self, value: str) -> None:
        self._sheet.book.calls["note"] += 1
        self._sheet.notes[self._cell] = value

    def delete(self) -> None:
        self._sheet.book.calls["note"] += 1
        del self._sheet.notes[self._cell]


class Font:
    def __init__(self, rng: Range) -> None:
        object.__setattr__(self, "_rng", rng)

    def __setattr__(self, name: str, value: Any) -> None:
        self._rng._set_format(f"font.{name}", value)

    def __getattr__(self, name: str) -> Any:
        return self._rng._get_format(f"font.{name}")


class Options:
    def __init__(self, rng: Range, ndim: int | None) -> None:
        self.rng, self.ndim = rng, ndim

    @property
    def value(self) -> Any:
        return self.rng._read(self.ndim)

    @value.setter
    def value(self, data: Any) -> None:
        self.rng.value = data


class Range:
    def __init__(self, sheet: Sheet, address: str) -> None:
        self.sheet = sheet
        self.areas = [_bounds(a) for a in address.split(",")]

    @property
    def row(self) -> int:
        return self.areas[0][0]

    @property
    def column(self) -> int:
        return self.areas[0][1]

    @property
    def last_cell(self) -> Range:
        _, _, r2, c2 = self.areas[0]
        return Range(self.sheet, f"{get_column_letter(c2)}{r2}")

    @property
    def address(self) -> str:
        return ",".join(f"${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}"
                        for r1, c1, r2, c2 in self.areas)

    def cells(self) -> list[Cell]:
        return [(r, c) for r1, c1, r2, c2 in self.areas
                for r in range(r1, min(r2, 5000) + 1) for c in range(c1, min(c2, 200) + 1)]

    def options(self, ndim: int | None = None, **_: Any) -> Options:
        return Options(self, ndim)

    # --- values ---------------------------------------------------------------------------

    def _read(self, ndim: int | None) -> Any:
        self.sheet.book.calls["read"] += 1
        self.sheet.book.calls[f"read:{self.sheet.name}"] += 1
        r1, c1, r2, c2 = self.areas[0]
        grid = [[self.sheet.get(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        if ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if all(len(row) == 1 for row in grid):
            return [row[0] for row in grid]
        return grid

    @property
    def value(self) -> Any:
        return self._read(None)

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.calls["write"] += 1
        self.sheet.book.calls[f"write:{self.sheet.name}"] += 1
        r0, c0 = self.row, self.column
        if isinstance(data, list | tuple):
            rows = data if data and isinstance(data[0], list | tuple) else [data]
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    self.sheet.put(r0 + i, c0 + j, v)
        else:
            for cell in self.cells():
                self.sheet.put(*cell, data)

    @property
    def formula(self) -> Any:
        """Excel's ``Range.Formula``: a formula's text, a constant as text, ``""`` if empty;
        a str for one cell, a tuple of tuples otherwise (as COM hands a 2-D array over)."""
        self.sheet.book.calls["read_formula"] += 1
        self.sheet.book.calls[f"read_formula:{self.sheet.name}"] += 1
        r1, c1, r2, c2 = self.areas[0]

        def text(r: int, c: int) -> str:
            if (r, c) in self.sheet.formulas:
                return self.sheet.formulas[(r, c)]
            value = self.sheet.get(r, c)
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return str(value)

        grid = tuple(tuple(text(r, c) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1))
        return grid[0][0] if r1 == r2 and c1 == c2 else grid

    # --- formats ---------------------------------------------------------------------------

    def _set_format(self, key: str, value: Any) -> None:
        self.sheet.book.calls["format"] += 1
        for cell in self.cells():
            self.sheet.formats.setdefault(cell, {})[key] = value

    def _get_format(self, key: str) -> Any:
        values = {self.sheet.formats.get(cell, {}).get(key) for cell in self.cells()}
        return values.pop() if len(values) == 1 else None

    @property
    def color(self) -> tuple[int, int, int] | None:
        hexa = self._get_format("color")
        return None if hexa is None else tuple(int(hexa[i:i + 2], 16) for i in (1, 3, 5))

    @color.setter
    def color(self, value: str | tuple[int, int, int] | None) -> None:
        if isinstance(value, tuple):
            value = "#" + "".join(f"{c:02x}" for c in value)
        self._set_format("color", value.lower() if isinstance(value, str) else None)

    @property
    def font(self) -> Font:
        return Font(self)

    def __getattr__(self, name: str) -> Any:
        if name in ("number_format", "wrap_text", "horizontal_alignment",
                    "vertical_alignment", "column_width", "row_height"):
            return self._get_format(name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("number_format", "wrap_text", "horizontal_alignment",
                    "vertical_alignment", "column_width", "row_height"):
            self._set_format(name, value)
        else:
            object.__setattr__(self, name, value)

    def merge(self, across: bool = False) -> None:
        self.sheet.book.calls["format"] += 1
        self.sheet.merges.append(self.address)

    # --- notes and links -------------------------------------------------------------------

    @property
    def note(self) -> Note | None:
        cell = self.cells()[0]
        return Note(self.sheet, cell) if cell in self.sheet.notes else None

    def add_note(self, text: str) -> Note:
        cells = self.cells()
        if len(cells) != 1:
            raise ValueError("add_note needs a single cell")
        if cells[0] in self.sheet.notes:
            raise ValueError("the cell already has a note")
        self.sheet.book.calls["note"] += 1
        self.sheet.notes[cells[0]] = text
        return Note(self.sheet, cells[0])

    def add_hyperlink(self, address: str, text_to_display: str | None = None,
                      screen_tip: str | None = None) -> None:
        self.sheet.book.calls["link"] += 1
        cell = self.cells()[0]
        self.sheet.links[cell] = address
        self.sheet.put(*cell, text_to_display if text_to_display is not None else address)


class Sheet:
    def __init__(self, book: Book, name: str) -> None:
        self.book, self.name = book, name
        self.data: dict[Cell, Any] = {}
        self.formulas: dict[Cell, str] = {}
        self.formats: dict[Cell, dict[str, Any]] = {}
        self.notes: dict[Cell, str] = {}
        self.links: dict[Cell, str] = {}
        self.merges: list[str] = []
        self.visible = True
        self.api = _SheetApi(self)

    def put(self, r: int, c: int, value: Any) -> None:
        """Store a value as Excel does: numbers as floats, dates as datetimes, ``'`` text."""
        self.formulas.pop((r, c), None)
        if isinstance(value, bool) or value is None:
            pass
        elif isinstance(value, int | float):
            value = float(value)
        elif isinstance(value, datetime):
            pass
        elif isinstance(value, date):
            value = datetime(value.year, value.month, value.day)
        elif isinstance(value, str) and value.startswith("'"):
            value = value[1:]
        elif isinstance(value, str) and value.startswith("="):
            self.formulas[(r, c)] = value
            value = None  # the stand-in does not calculate: no cached result
        if value is None or value == "":
            self.data.pop((r, c), None)
        else:
            self.data[(r, c)] = value

    def get(self, r: int, c: int) -> Any:
        return self.data.get((r, c))

    def range(self, first: str | tuple[int, int], last: str | tuple[int, int] | None = None
              ) -> Range:
        if isinstance(first, tuple):
            first = f"{get_column_letter(first[1])}{first[0]}"
        if isinstance(last, tuple):
            last = f"{get_column_letter(last[1])}{last[0]}"
        return Range(self, first if last is None else f"{first}:{last}")

    def __getitem__(self, address: str) -> Range:
        return self.range(address)

    @property
    def used_range(self) -> Range:
        cells = set(self.data) | set(self.formulas) | set(self.formats)
        if not cells:
            return self.range("A1")
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        return self.range((min(rows), min(cols)), (max(rows), max(cols)))

    def clear(self) -> None:
        self.book.calls["clear"] += 1
        self.data.clear()
        self.formulas.clear()
        self.formats.clear()
        self.notes.clear()
        self.links.clear()
        self.merges.clear()

    def activate(self) -> None:
        self.book.active = self


class _SheetApi:
    """The bit of Excel's native Worksheet object the backend uses: ``Move``."""

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet

    def Move(self, Before: Any = None, After: Any = None) -> None:
        sheets = self._sheet.book.sheets.items
        sheets.remove(self._sheet)
        if Before is not None:
            sheets.insert(sheets.index(Before._sheet), self._sheet)
        else:
            sheets.insert(sheets.index(After._sheet) + 1, self._sheet)


class Sheets:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.items: list[Sheet] = []

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            return self.items[key]
        for sheet in self.items:
            if sheet.name.lower() == key.lower():
                return sheet
        raise KeyError(key)

    def add(self, name: str | None = None, before: Sheet | None = None,
            after: Sheet | None = None) -> Sheet:
        if name is not None and name.lower() in (s.name.lower() for s in self.items):
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        self.book.calls["add_sheet"] += 1
        sheet = Sheet(self.book, name or f"Hoja{len(self.items) + 1}")
        if before is not None:
            self.items.insert(self.items.index(before), sheet)
        elif after is not None:
            self.items.insert(self.items.index(after) + 1, sheet)
        else:
            self.items.insert(0, sheet)
        self.book.active = sheet
        return sheet


class Names:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def add(self, name: str, refers_to: str) -> None:
        self.items[name] = refers_to


class Book:
    def __init__(self, fullname: str = "libro.xlsx") -> None:
        self.fullname = fullname
        self.calls: Counter[str] = Counter()
        self.sheets = Sheets(self)
        self.names = Names()
        self.app = App(self)
        self.active: Sheet | None = None

    @property
    def name(self) -> str:
        return self.fullname.replace("\\", "/").rsplit("/", 1)[-1]

    @classmethod
    def from_openpyxl(cls, path: Any) -> Book:
        """The workbook as Excel would show it: values (cached results) from a saved file."""
        from openpyxl import load_workbook

        source = load_workbook(path, data_only=True)
        formulas = load_workbook(path)
        book = cls(str(path))
        for ws in source.worksheets:
            sheet = Sheet(book, ws.title)
            sheet.visible = ws.sheet_state == "visible"
            book.sheets.items.append(sheet)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        sheet.put(cell.row, cell.column, cell.value)
                    if cell.comment is not None:
                        sheet.notes[(cell.row, cell.column)] = cell.comment.text
            for row in formulas[ws.title].iter_rows():
                for cell in row:  # the formula behind the result shown (None: not calculated)
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        sheet.formulas[(cell.row, cell.column)] = cell.value
        book.calls.clear()
        return book

    def save(self, path: str | None = None) -> None:
        """``Book.save()``: Excel writes the workbook to its file (here: only counted)."""
        self.calls["save"] += 1
        if path is not None:
            self.fullname = path

    def sheet(self, name: str) -> Sheet:
        return self.sheets[name]

    def grid(self, name: str) -> list[list[Any]]:
        """A sheet's values from A1 (for assertions), without counting a read."""
        sheet = self.sheets[name]
        if not sheet.data:
            return []
        rows = max(r for r, _ in sheet.data)
        cols = max(c for _, c in sheet.data)
        return [[sheet.data.get((r, c)) for c in range(1, cols + 1)]
                for r in range(1, rows + 1)]
