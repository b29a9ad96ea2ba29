"""Rows of a programme workbook, parsed once into typed values, with where they came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple

from addin.domain.findings import Finding
from addin.domain.lean import dataclass
from addin.domain.programme import ProgrammeDefinition
from addin.domain.text import column_letter, normalise_all


def a1(col: int, row: int) -> str:
    """A1 address from a 0-based column and a 1-based row."""
    return f"{column_letter(col)}{row}"


class Record(NamedTuple):
    """One data row: typed values by column key, and the cells they were read from.

    A named tuple so that a sheet's records are made at C speed (``SheetData.records``)."""

    sheet: str
    row: int  # 1-based sheet row
    values: dict[str, Any]
    columns: dict[str, int]  # column key → 0-based column, shared by the sheet's records

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def cell(self, key: str) -> str:
        """The A1 address of a column in this row (the row's first cell if no such column)."""
        return a1(self.columns.get(key, 0), self.row)

    def date(self, key: str) -> date | None:
        value = self.values.get(key)
        return value if isinstance(value, date) else None


@dataclass
class SheetData:
    """A sheet as read: present or not, where its header is, and its rows.

    The rows are held by column (``values``: one typed list per column read, aligned with
    ``rows``), so that a rule over a large sheet goes through whole columns at C speed;
    ``records`` gives the same rows one by one, built only when asked for.
    """

    key: str  # layout key
    name: str  # the sheet's name in the workbook (the layout's Spanish name when missing)
    present: bool
    header_row: int = 0  # 1-based
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # 1-based sheet row of each record
    values: dict[str, list[Any]] = field(default_factory=dict)
    _records: list[Record] | None = field(default=None, repr=False, compare=False)
    _derived: dict[tuple[str, str], list[Any]] = field(default_factory=dict, repr=False,
                                                       compare=False)

    def header_cell(self, key: str) -> str:
        return a1(self.columns.get(key, 0), self.header_row or 1)

    @property
    def records(self) -> list[Record]:
        """The rows one by one, made on the first call (whole at C speed) and kept."""
        if self._records is None:
            keys = list(self.values)
            rows = zip(*self.values.values(), strict=True) if keys else [()] * len(self.rows)
            values = map(dict, map(zip, repeat(keys), rows))
            self._records = list(map(Record._make, zip(
                repeat(self.name), self.rows, values, repeat(self.columns))))
        return self._records

    def column(self, key: str) -> list[Any]:
        """A column's typed values, one per record (all None when the sheet lacks it)."""
        found = self.values.get(key)
        if found is None:
            found = self._derived.get(("blank", ""))
            if found is None:
                found = self._derived["blank", ""] = [None] * len(self.rows)
        return found

    def dates(self, key: str) -> list[date | None]:
        """A column's dates (None where it holds anything else), as ``Record.date`` reads."""
        return self._derive("dates", key, lambda values: [
            value if isinstance(value, date) else None for value in values])

    def normalised(self, key: str) -> list[str]:
        """A column's values as ``normalise`` makes them, each distinct value once."""
        return self._derive("normalised", key, normalise_all)

    def _derive(self, kind: str, key: str, make: Callable[[list[Any]], list[Any]]
                ) -> list[Any]:
        """A list made from a column once and remembered: several rules read it."""
        found = self._derived.get((kind, key))
        if found is None:
            found = self._derived[kind, key] = make(self.column(key))
        return found

    def cell(self, key: str, index: int) -> str:
        """The A1 address of a column in the ``index``-th record (as ``Record.cell``)."""
        return a1(self.columns.get(key, 0), self.rows[index])


@dataclass
class FormData:
    """A form sheet (Programa): a value and its cell per field."""

    name: str
    present: bool
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def cell(self, key: str) -> str | None:
        return self.cells.get(key)


@dataclass
class WorkbookData:
    """A whole programme workbook as read, and what reading it found wrong."""

    definition: ProgrammeDefinition
    form: FormData
    sheets: dict[str, SheetData]
    findings: list[Finding] = field(default_factory=list)

    def sheet(self, key: str) -> SheetData:
        return self.sheets[key]

    def records(self, key: str) -> list[Record]:
        return self.sheets[key].records
