"""Sheet layouts: the one definition of each sheet that building, reading, validating and
syncing all use.  Pure Python: no spreadsheet library is imported here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, Literal

from addin.domain.grid import filled
from addin.domain.lean import dataclass
from addin.domain.programme import ProgrammeDefinition
from addin.domain.text import column_letter, normalise

__all__ = ["column_letter", "normalise"]

Lang = Literal["es", "en"]


class ColumnType(StrEnum):
    TEXT = "texto"
    INTEGER = "entero"
    DECIMAL = "decimal"
    MONEY = "monto"  # Chilean pesos, no decimals
    PERCENT = "porcentaje"
    DATE = "fecha"
    BOOL = "si_no"
    CHOICE = "lista"
    RUT = "rut"
    TIME = "hora"  # a time of day: 8:30, 16:30, «4:30 pm»


YES, NO = "Sí", "No"

#: Workbook-level names of the Programa fields other sheets refer to (``minga_inicio``).
NAME_PREFIX = "minga_"


def workbook_name(key: str) -> str:
    """The workbook-level name of a Programa field, e.g. ``minga_inicio``."""
    return NAME_PREFIX + key

#: Number formats by type; stored locale-neutral in the file, shown in the user's locale.
NUMBER_FORMATS: dict[ColumnType, str] = {
    ColumnType.INTEGER: "0",
    ColumnType.DECIMAL: "#,##0.00",
    ColumnType.MONEY: '"$"#,##0',
    ColumnType.PERCENT: "0%",
    ColumnType.DATE: "dd-mm-yyyy",
    ColumnType.TEXT: "@",
    ColumnType.RUT: "@",
    ColumnType.TIME: "h:mm",
}


@dataclass(frozen=True)
class Column:
    """A column of a table sheet, or a field (row) of a form sheet."""

    key: str
    es: str
    en: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    #: Choices that depend on the programme definition, resolved when building:
    #: ``"session_types"``, ``"scopes:<plan key>"``, ``"activities"``.
    choices_from: str | None = None
    width: float = 16
    number_format: str | None = None
    #: Inclusive numeric bounds checked by the spreadsheet's own data validation on entry.
    bounds: tuple[float, float] | None = None
    #: A formula template for computed columns; ``{key}`` is replaced by that column's cell in
    #: the same row (``{key}`` → ``D5``), ``{row}`` by the row number.
    formula: str | None = None
    help_es: str = ""

    def header(self, lang: Lang = "es") -> str:
        return self.es if lang == "es" else self.en

    @property
    def allowed(self) -> tuple[str, ...]:
        return (YES, NO) if self.type is ColumnType.BOOL else self.choices

    @property
    def has_list(self) -> bool:
        return bool(self.allowed or self.choices_from)

    @property
    def effective_format(self) -> str | None:
        return self.number_format or NUMBER_FORMATS.get(self.type)


SheetKind = Literal["table", "form", "gantt"]


@dataclass(frozen=True)
class SheetLayout:
    """One sheet: its names, its kind and its columns, as building, reading and validating
    all see it."""

    key: str
    es: str
    en: str
    kind: SheetKind
    columns: tuple[Column, ...]
    title_es: str = ""
    title_en: str = ""
    help_es: str = ""
    table_name: str | None = None
    #: 1-based row of the header (tables, forms) in a workbook minga builds.
    header_row: int = 3
    tab_color: str | None = None
    #: Written by minga, never typed in: no dropdowns, no «Obligatorio.» notes.
    output_only: bool = False
    #: Rows coloured live by the value of this column (a status), and highlighted when the
    #: ``row_due`` date is past the cut-off while the status is not one of ``closed_statuses``.
    row_status: str | None = None
    row_due: str | None = None
    closed_statuses: tuple[str, ...] = ()
    #: Columns summed (visible rows only) on row 2, above the header, beside the help text.
    totals: tuple[str, ...] = ()
    #: The columns that say which row is which, whatever its position (activity N°, asset
    #: code, RUT, session date and type): versions of a sheet are compared row by row on them.
    row_key: tuple[str, ...] = ()

    def name(self, lang: Lang = "es") -> str:
        return self.es if lang == "es" else self.en

    def title(self, lang: Lang = "es") -> str:
        return self.title_es if lang == "es" else (self.title_en or self.title_es)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key}.{key}")

    def index(self, key: str) -> int:
        """0-based position of a column in the layout (and in a workbook minga built)."""
        return [c.key for c in self.columns].index(key)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1


def find_sheet(names: Iterable[str], layout: SheetLayout) -> str | None:
    """The workbook's sheet for a layout, by its Spanish or English name, tolerantly."""
    wanted = {normalise(layout.es), normalise(layout.en)}
    for name in names:
        if normalise(name) in wanted:
            return name
    return None


@dataclass(frozen=True)
class HeaderMatch:
    """Where a sheet's header row was found and which columns it names."""

    row: int  # 0-based index into the rows that were searched
    columns: dict[str, int]  # column key → 0-based column index
    missing: tuple[str, ...]  # required keys not found


#: Each layout's header names, normalised once per process (a tuple of columns is immutable).
_HEADER_NAMES: dict[int, tuple[tuple[Column, ...], dict[str, str]]] = {}


def _header_names(columns: Sequence[Column]) -> dict[str, str]:
    """Normalised Spanish and English header → column key."""
    kept = _HEADER_NAMES.get(id(columns))
    if kept is not None and kept[0] is columns:
        return kept[1]
    names = {}
    for column in columns:
        names[normalise(column.es)] = column.key
        names[normalise(column.en)] = column.key
    if type(columns) is tuple:  # kept alive by the entry: its id is not reused
        _HEADER_NAMES[id(columns)] = (columns, names)
    return names


def locate_header(rows: Sequence[Sequence[Any]], columns: Sequence[Column],
                  *, search_rows: int = 30) -> HeaderMatch | None:
    """Find the header row among the first rows: the row naming most of the columns.

    Columns are matched by Spanish or English header, whatever their order; title rows above
    and extra columns are ignored.  None when no row names at least two columns and half of
    the required ones (a sheet with no header at all).
    """
    names = _header_names(columns)
    every = len(set(names.values()))
    best: HeaderMatch | None = None
    for r, row in enumerate(rows[:search_rows]):
        found: dict[str, int] = {}
        for c, value in filled(row):
            key = names.get(normalise(value))
            if key and key not in found:
                found[key] = c
        if best is None or len(found) > len(best.columns):
            missing = tuple(col.key for col in columns if col.required and col.key not in found)
            best = HeaderMatch(r, found, missing)
            if len(found) == every:  # no later row can name more: the data rows go unread
                break
    if best is None or len(best.columns) < 2:
        return None
    required = sum(1 for c in columns if c.required)
    if 2 * (required - len(best.missing)) < required:
        return None
    return best


def locate_form(rows: Sequence[Sequence[Any]], layout: SheetLayout) -> dict[str, tuple[int, int]]:
    """Where each field of a form sheet keeps its value: the cell right of its label.

    Labels (Spanish or English, matched tolerantly) may be anywhere; returns field key →
    (1-based row, 0-based column of the value).  The first occurrence of a label wins.
    """
    labels = {normalise(c.es): c.key for c in layout.columns} | {
        normalise(c.en): c.key for c in layout.columns}
    where: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows, start=1):
        if not row:
            continue
        last = len(row) - 1 if len(row) > 1 else None  # a label there has no value cell
        for c, value in filled(row):
            if c == last or not isinstance(value, str):
                continue
            key = labels.get(normalise(value))
            if key and key not in where:
                where[key] = (r, c + 1)
    return where


def resolve_choices(column: Column, definition: ProgrammeDefinition) -> tuple[str, ...]:
    """The allowed values of a column, including those that come from the programme."""
    if not column.choices_from:
        return column.allowed
    source, _, arg = column.choices_from.partition(":")
    if source == "session_types":
        return tuple(s.label for s in definition.session_types)
    if source == "scopes":
        for plan in definition.plans:
            if plan.key == arg:
                return plan.scopes
        return ()
    if source == "activities":
        return tuple(a.name for a in definition.activities)
    if source == "periods":
        return definition.periods
    if source == "territories":
        return definition.territories
    if source == "mesas":
        return definition.assembly.mesas if definition.assembly else ()
    if source == "purposes":
        return definition.savings_fund.purposes if definition.savings_fund else ()
    if source == "associations":
        return definition.savings_fund.associations if definition.savings_fund else ()
    raise ValueError(f"unknown choices_from {column.choices_from!r}")
