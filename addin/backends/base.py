"""The one small interface every spreadsheet backend implements.

Backends: openpyxl (.xlsx files, here), python-calamine (fast read-only), xlwings (a live
Excel workbook) and gspread (a Google Sheet) in later issues.  The interface speaks in bulk —
a whole sheet's values at once, a rectangular block at once, a list of marks or a whole
sheet's formatting at once — because every call may be a COM round trip in Excel or an HTTP
request against a per-minute quota in Google Sheets.  There is deliberately no per-cell call.

Everything here is plain data: domain code and actions describe *what* a sheet looks like with
these classes, and each backend translates them into its library's calls.  The formatting
classes (``Style``, ``SheetFormat``, ``Mark``, ``Annotation``…) live in
``addin.backends.formatting`` and are handed out from here on first use: reading a workbook
never builds them (each dataclass costs a button press about a millisecond to create).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from addin.domain.lean import dataclass

if TYPE_CHECKING:
    from addin.backends.formatting import (
        Annotation,
        ConditionalRule,
        DataBar,
        Link,
        Mark,
        Note,
        PrintSetup,
        SheetFormat,
        Style,
        Styled,
        Table,
        Validation,
    )


@dataclass(frozen=True)
class Formula:
    """A cell formula, e.g. ``Formula("=SUM(A1:A3)")``.

    Only values wrapped in ``Formula`` become formulas; a plain string is always written as
    text, even if it starts with ``=``, ``+``, ``-`` or ``@`` (no formula injection).
    """

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError("a formula starts with '='")


CellValue = str | int | float | bool | date | datetime | time | Formula | None
Rows = Sequence[Sequence[CellValue]]


#: The font every cell minga writes is named and sized with, unless a style says otherwise:
#: a font without a name makes LibreOffice and Google Sheets fall back to a serif face.
FONT_NAME = "Calibri"
FONT_SIZE = 11.0


#: Excel's documented limits ("Excel specifications and limits"): whatever minga writes stays
#: inside them, whatever the length of the values it quotes.
MAX_CELL_TEXT = 32_767  # characters in a cell
MAX_NOTE_TEXT = 32_767  # characters in a note (the same bound as a cell's text)
MAX_ROW_HEIGHT = 409  # points
MAX_SHEET_NAME = 31  # characters
MAX_LINKS_PER_SHEET = 65_530  # hyperlinks in a worksheet
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in «…» when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The author of minga's notes.  Not how minga recognises its marks (the template's own notes
#: have it too): that is the record of marks, see ``addin.actions.marks``.
MARK_AUTHOR = "minga"

#: Fill colours of the validator's marks (error, warning, info), ``RRGGBB``.
MARK_FILLS = ("FFC7CE", "FFEB9C", "DDEBF7")


#: The names of ``addin.backends.formatting`` this module hands out (PEP 562).
_FORMATTING = frozenset({"Style", "Styled", "Validation", "ConditionalRule", "DataBar", "Table",
                         "Note", "Link", "PrintSetup", "SheetFormat", "Mark", "Annotation"})

__all__ = ["FONT_NAME", "FONT_SIZE", "MARK_AUTHOR", "MARK_FILLS", "MAX_CELL_TEXT", "MAX_COLUMNS",
           "MAX_LINKS_PER_SHEET", "MAX_NOTE_TEXT", "MAX_ROWS", "MAX_ROW_HEIGHT", "MAX_SHEET_NAME",
           "Annotation", "Backend", "CellValue", "ConditionalRule", "DataBar", "Formula",
           "FormulaReader", "Link", "Mark", "Note", "PrintSetup", "Reader", "Rows", "SheetFormat",
           "Style", "Styled", "Table", "Validation", "clip"]


def __getattr__(name: str) -> Any:
    """``from addin.backends.base import Style``: the formatting classes, made on first use."""
    if name in _FORMATTING:
        from addin.backends import formatting

        value = getattr(formatting, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _FORMATTING)


@runtime_checkable
class Reader(Protocol):
    """What reading needs: every backend, including read-only ones (python-calamine)."""

    def sheet_names(self) -> list[str]:
        """Names of the sheets, in tab order."""
        ...

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        """All values of the sheet from A1, row by row (formulas: their cached results)."""
        ...


@runtime_checkable
class FormulaReader(Protocol):
    """A reader whose ``read_values`` gives formulas' results (live Excel): it says where its
    formulas are, in one more bulk call per sheet, so sync can leave them alone."""

    def read_formulas(self, sheet: str) -> dict[tuple[int, int], str]:
        """``(row, column)`` from 0 → formula text (``=…``) of every formula cell."""
        ...


@runtime_checkable
class Backend(Reader, Protocol):
    """A workbook minga reads and writes, wherever it lives."""

    def add_sheet(self, name: str) -> None:
        """Append an empty sheet; a sheet of that name must not exist yet."""
        ...

    def clear_sheet(self, sheet: str) -> None:
        """Remove every value, format, note and mark of a sheet, keeping the sheet."""
        ...

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        """Write a rectangular block of values whose top-left cell is ``top_left``."""
        ...

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        """Apply a sheet's formatting, validations, conditional rules and tables."""
        ...

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        """The notes and fills of ``cells`` (A1 references) in one call.

        A cell that does not exist reads as blank and is not created: the cost follows the
        cells asked for, never the sheet's area.  A cell inside a merged range reads (and is
        written) as the range's top-left cell, the one a spreadsheet shows.
        """
        ...

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        """Set exactly these notes and fills in one call (None note or "" fill removes it).

        Marking and un-marking cells (``addin.actions.marks``) is built on this pair, so a
        backend needs no notion of what a mark is.
        """
        ...

    def move_sheet(self, sheet: str, after: str | None) -> None:
        """Move ``sheet`` right after the sheet ``after`` (first when None)."""
        ...

    def activate(self, sheet: str) -> None:
        """Make ``sheet`` the visible, selected sheet the workbook opens on."""
        ...

    def define_names(self, names: Mapping[str, str]) -> None:
        """Workbook-level names, e.g. ``{"minga_inicio": "Programa!$B$6"}``."""
        ...

    def save(self) -> None:
        """Make the changes durable (atomically, for files)."""
        ...
