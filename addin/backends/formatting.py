"""How a sheet looks and what minga marks on it: the plain-data formatting vocabulary of
``addin.backends.base``.

Kept apart from the interface so that reading and validating a workbook (a «Validar» press)
never builds these classes: ``addin.backends.base`` hands each name out from here on first use
(``from addin.backends.base import Style`` works as it always did).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from typing import Literal

from addin.domain.lean import dataclass


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
