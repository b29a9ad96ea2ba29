"""A sheet as a plan: its block of values from A1 and its ``SheetFormat``; the hidden lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from addin.backends.base import CellValue, SheetFormat
from addin.layouts.ecomercado import LISTS_SHEET
from addin.layouts.model import column_letter

#: Rows below the header that get dropdowns and formats, so rows users add are covered too.
CAPACITY = 2000

#: Workbook names for the Programa fields other sheets refer to.
NAME_PREFIX = "minga_"


def workbook_name(key: str) -> str:
    """The workbook-level name of a Programa field, e.g. ``minga_inicio``."""
    return NAME_PREFIX + key


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
