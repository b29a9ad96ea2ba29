"""A sheet as a plan: its block of values from A1 and its ``SheetFormat``; the hidden lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from addin.backends.base import CellValue, SheetFormat
from addin.layouts.ecomercado import LISTS_SHEET
from addin.layouts.model import NAME_PREFIX as NAME_PREFIX
from addin.layouts.model import column_letter
from addin.layouts.model import workbook_name as workbook_name

#: Rows below the header that get dropdowns and formats, so rows users add are covered too.
CAPACITY = 2000

# Workbook names for the Programa fields other sheets refer to: ``NAME_PREFIX`` and
# ``workbook_name`` live in ``addin.layouts.model`` (validating needs them, not this module).


@dataclass
class SheetPlan:
    """What one sheet will hold: a block of values from A1 and its formatting."""

    name: str
    rows: list[list[CellValue]] = field(default_factory=list)
    fmt: SheetFormat = field(default_factory=SheetFormat)

    def put(self, row: int, col: int, value: CellValue) -> None:
        """Set a value at 1-based ``row``/``col`` in the block (growing it as needed)."""
        while len(self.rows) < row:
            self.rows.append([])
        line = self.rows[row - 1]
        while len(line) < col:
            line.append(None)
        line[col - 1] = value

    def block(self) -> list[list[CellValue]]:
        """The values as a rectangle (short rows padded), ready for one ``write_block``."""
        width = max((len(r) for r in self.rows), default=0)
        return [row + [None] * (width - len(row)) for row in self.rows]


def cell(col: int, row: int, absolute: str = "") -> str:
    """A1 reference from a 0-based column and 1-based row; ``absolute`` "c", "r" or "cr"."""
    c = ("$" if "c" in absolute else "") + column_letter(col)
    r = ("$" if "r" in absolute else "") + str(row)
    return c + r


class ListRegistry:
    """The hidden «Listas» sheet: one column per dropdown list, referenced by range."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], str] = {}  # values → list title

    def ref(self, title: str, values: Sequence[str]) -> str:
        """The range of a list with these values (lists with equal values are shared)."""
        values = tuple(values)
        self.lists.setdefault(values, title)
        letter = column_letter(list(self.lists).index(values))
        return f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"

    def plan(self) -> SheetPlan:
        plan = SheetPlan(LISTS_SHEET)
        for c, (values, title) in enumerate(self.lists.items(), start=1):
            plan.put(1, c, title)
            for r, value in enumerate(values, start=2):
                plan.put(r, c, value)
            plan.fmt.column_widths[column_letter(c - 1)] = 30
        plan.fmt.hidden = True
        return plan


# --- sizing text -----------------------------------------------------------------------------
# Spreadsheets do not grow rows to fit wrapped text on opening a file, and a word wider than
# its column is split mid-word; so minga sizes rows and columns from the text it writes.  The
# estimates are deliberately generous, so text fits in Excel (Calibri) and also where
# LibreOffice substitutes a wider face.

#: Points in one unit of column width (Excel's unit: a digit of Calibri 11, 7 px).
POINTS_PER_UNIT = 5.25
#: Units a cell loses to its left and right padding.
CELL_PADDING = 0.8


def char_points(size: float, bold: bool = False) -> float:
    """The average width of a character of Spanish text at ``size``, in points.

    Calibri's is about 0.44 em (DejaVu Sans, LibreOffice's fallback, is wider but so are its
    digits, which set the column unit); a little is added so wrapped text fits.
    """
    return size * (0.49 if bold else 0.47)


def line_points(size: float) -> float:
    """The height of one line of text at ``size``, as Excel sizes rows (9 → 12, 11 → 15)."""
    return size * 1.5 - 1.5 if size >= 9 else size * 1.25 + 1


def width_for(word: str, size: float, bold: bool = False) -> float:
    """A column width (units) in which ``word`` surely fits whole on one line.

    Generous: a word split mid-word is worse than a column a little wider than needed.
    """
    return len(word) * size * (0.53 if bold else 0.5) / POINTS_PER_UNIT + CELL_PADDING + 0.3


def text_lines(text: object, width: float, size: float, bold: bool = False) -> int:
    """Lines ``text`` wraps to, word by word, in a column ``width`` units wide."""
    per_line = max(int((width - CELL_PADDING) * POINTS_PER_UNIT / char_points(size, bold)), 1)
    lines = 0
    for paragraph in str(text or "").split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            used = len(word)
            while used > per_line:  # a word longer than a line is split
                lines += 1
                used -= per_line
    return max(lines, 1)


def row_points(lines: int, size: float) -> float:
    """The height of a row holding ``lines`` lines of text at ``size``."""
    return round(lines * line_points(size), 1)
