"""The one small interface every spreadsheet backend implements.

Backends: openpyxl (.xlsx files, here), python-calamine (fast read-only), xlwings (a live
Excel workbook) and gspread (a Google Sheet) in later issues.  The interface speaks in bulk —
a whole sheet's values at once, a rectangular block at once, a list of marks or a whole
sheet's formatting at once — because every call may be a COM round trip in Excel or an HTTP
request against a per-minute quota in Google Sheets.  There is deliberately no per-cell call.

Everything here is plain data: domain code and actions describe *what* a sheet looks like with
these classes, and each backend translates them into its library's calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal, Protocol, runtime_checkable


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


@dataclass(frozen=True)
class Style:
    """A cell style; colours are ``RRGGBB`` hex strings.

    ``font``/``size`` left empty mean ``FONT_NAME``/``FONT_SIZE`` on cells (conditional
    formats never change the font face or size: Excel does not allow it).  ``locked=False``
    marks an input cell that stays editable when the sheet is protected.
    """

    fill: str | None = None
    font_color: str | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None
    font: str | None = None
    h_align: Literal["left", "center", "right"] | None = None
    v_align: Literal["top", "center", "bottom"] | None = None
    wrap: bool = False
    rotation: int = 0
    border: Literal["thin", "medium", "hair"] | None = None
    border_color: str = "BFBFBF"
    number_format: str | None = None
    indent: int = 0
    locked: bool | None = None


@dataclass(frozen=True)
class Styled:
    range: str  # A1 range on the sheet, e.g. "A1:H1"
    style: Style


@dataclass(frozen=True)
class Validation:
    """Data validation on entry: a dropdown list or numeric/date bounds."""

    range: str
    kind: Literal["list", "whole", "decimal", "date"]
    source: str | None = None  # list: a range formula such as "=Listas!$A$2:$A$17"
    minimum: float | date | None = None
    maximum: float | date | None = None
    title: str = ""
    prompt: str = ""
    error: str = ""


@dataclass(frozen=True)
class ConditionalRule:
    """Format ``range`` with ``style`` where ``formula`` (relative to its top-left) is true.

    Formulas must use functions that Excel, LibreOffice and Google Sheets share; rules apply
    in order and the first true one wins (``stop``), which is how LibreOffice always works.
    """

    range: str
    formula: str
    style: Style
    stop: bool = True


@dataclass(frozen=True)
class DataBar:
    """A data bar over ``range``: each cell's value between ``minimum`` and ``maximum``."""

    range: str
    color: str
    minimum: float = 0
    maximum: float = 1


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject) over ``range``, header row included."""

    name: str
    range: str
    style: str = "TableStyleMedium2"


@dataclass(frozen=True)
class Note:
    cell: str
    text: str


@dataclass(frozen=True)
class Link:
    """An internal hyperlink: clicking ``cell`` goes to ``target`` on ``target_sheet``."""

    cell: str
    target_sheet: str
    target: str


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints.

    ``fit_width`` shrinks the sheet to ``pages_wide`` pages across; ``fit_height`` to one page
    tall (with ``fit_width`` off, as many pages across as needed, so a wide sheet keeps its
    size); neither prints at 100 %.
    """

    landscape: bool = True
    fit_width: bool = True
    pages_wide: int = 1
    fit_height: bool = False
    repeat_rows: str | None = None  # e.g. "1:8"
    repeat_columns: str | None = None  # e.g. "A:B", printed at the left of every page
    column_breaks: tuple[int, ...] = ()  # 0-based columns that start a new page
    paper: Literal["letter", "legal", "a4"] = "letter"
    title: str | None = None  # printed in the header


@dataclass
class SheetFormat:
    """Everything about a sheet's look, applied in one call."""

    column_widths: dict[str, float] = field(default_factory=dict)  # "A" → width in chars
    column_formats: dict[str, str] = field(default_factory=dict)  # "A" → number format
    #: The style of a whole column: what cells users type into later look like.
    column_styles: dict[str, Style] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[str, ...] = ()
    merges: list[str] = field(default_factory=list)
    styles: list[Styled] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditional: list[ConditionalRule] = field(default_factory=list)
    data_bars: list[DataBar] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    freeze: str | None = None  # top-left cell of the scrolling pane, e.g. "C9"
    print_setup: PrintSetup | None = None
    tab_color: str | None = None
    hidden: bool = False
    gridlines: bool = True
    zoom: int | None = None
    #: Protect the sheet, without a password, so only cells styled ``locked=False`` take
    #: input: formulas are safe from an accidental overwrite, and anyone can unprotect.
    protect: bool = False


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


@dataclass(frozen=True)
class Mark:
    """A finding's trace on a cell or range: a fill on every cell, a note on the first one."""

    range: str
    fill: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Annotation:
    """A cell's note and fill: what minga reads before marking a cell and puts back after.

    ``fill`` is ``""`` for no fill, ``RRGGBB`` for a plain solid colour, and otherwise an
    opaque token of the backend that read it (a theme colour, a pattern, a gradient) which
    the same backend turns back into the same fill.  ``note`` is None when the cell has none.
    """

    note: str | None = None
    author: str = ""
    fill: str = ""


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
