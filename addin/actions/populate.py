"""populate_gantt: date every activity of the carta Gantt from the convenio's start date.

Works on any backend and on workbooks users have edited: sheets and columns are found by their
headers, rows by their activity code (N°), and the dates are written in a few bulk blocks (one
per run of consecutive activity rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from addin.backends.base import Backend, CellValue
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.dates import parse_date
from addin.domain.programme import ProgrammeDefinition
from addin.domain.schedule import ConvenioCalendar, ScheduledActivity, schedule
from addin.errors import MingaError
from addin.fileio import backup, check_writable, writes_file
from addin.layouts.ecomercado import GANTT, INFORMES, PROGRAMA
from addin.layouts.model import (
    HeaderMatch,
    SheetLayout,
    column_letter,
    find_sheet,
    locate_form,
    locate_header,
    normalise,
)
from addin.reading import programme_named


@dataclass(frozen=True)
class PopulateResult:
    activities: list[ScheduledActivity]
    reports: int
    blocks_written: int


def _sheet(backend: Backend, layout: SheetLayout) -> str:
    name = find_sheet(backend.sheet_names(), layout)
    if name is None:
        raise MingaError(f"El libro no tiene la hoja «{layout.es}».", sheet=layout.es,
                         fix="Cree el libro con `minga nuevo` o restaure esa hoja.")
    return name


def _header(rows: list[list[CellValue]], layout: SheetLayout, sheet: str,
            keys: Iterable[str]) -> HeaderMatch:
    match = locate_header(rows, layout.columns)
    missing = [k for k in keys if match is None or k not in match.columns]
    if match is None or missing:
        names = ", ".join(f"«{layout.column(k).es}»" for k in missing or keys)
        raise MingaError(f"No se encontraron las columnas {names}.", sheet=sheet,
                         fix="Restaure los encabezados de la hoja (fila de títulos).")
    return match


def code_text(value: CellValue) -> str:
    """An activity code as typed: «4.1», 4.1 (a number) or « 4.1 » are the same code."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(value)


def _runs(rows: Iterable[int]) -> list[list[int]]:
    """Consecutive row numbers grouped: [3,4,5,8,9] → [[3,4,5],[8,9]]."""
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and runs[-1][-1] == row - 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def write_column_values(backend: Backend, sheet: str, match: HeaderMatch,
                        values: dict[int, dict[str, CellValue]]) -> int:
    """Write ``{sheet row: {column key: value}}`` in as few rectangular blocks as possible.

    Rows are 1-based sheet rows.  Columns written together must be adjacent in the sheet;
    otherwise each column gets its own blocks.  Returns the number of blocks written.
    """
    keys = sorted({k for row in values.values() for k in row}, key=lambda k: match.columns[k])
    groups: list[list[str]] = []
    for key in keys:
        if groups and match.columns[key] == match.columns[groups[-1][-1]] + 1:
            groups[-1].append(key)
        else:
            groups.append([key])
    blocks = 0
    for group in groups:
        for run in _runs(r for r, row in values.items() if all(k in row for k in group)):
            block = [[values[r][k] for k in group] for r in run]
            backend.write_block(sheet, f"{column_letter(match.columns[group[0]])}{run[0]}", block)
            blocks += 1
    return blocks


def write_form_values(backend: Backend, values: dict[str, CellValue]) -> int:
    """Write Programa fields (by key) into the cells right of their labels; one block each."""
    sheet = _sheet(backend, PROGRAMA)
    where = locate_form(backend.read_values(sheet), PROGRAMA)
    for key, value in values.items():
        if key not in where:
            raise MingaError(f"No se encontró el campo «{PROGRAMA.column(key).es}».",
                             sheet=sheet, fix="Restaure la etiqueta en la columna A.")
        r, c = where[key]
        backend.write_block(sheet, f"{column_letter(c)}{r}", [[value]])
    return len(values)


def populate_gantt(backend: Backend, definition: ProgrammeDefinition, start: date,
                   cutoff: date | None = None) -> PopulateResult:
    """Fill the start date (and cut-off), every activity's dates and the reports' due dates."""
    scheduled = schedule(definition, start)
    calendar = ConvenioCalendar(definition.calendar, start)
    blocks = 0

    wanted: dict[str, CellValue] = {"inicio": start}
    if cutoff:
        wanted["fecha_corte"] = cutoff
    blocks += write_form_values(backend, wanted)

    # Carta Gantt: rows by activity code.
    sheet = _sheet(backend, GANTT)
    rows = backend.read_values(sheet)
    match = _header(rows, GANTT, sheet, ("codigo", "inicio", "termino"))
    code_col = match.columns["codigo"]
    row_of: dict[str, int] = {}
    for r in range(match.row + 1, len(rows)):
        code = code_text(rows[r][code_col] if code_col < len(rows[r]) else None)
        if code and code not in row_of:
            row_of[code] = r + 1
    missing = [s.activity for s in scheduled if s.activity.code not in row_of]
    if missing:
        listed = "; ".join(f"{a.code} {a.name}" for a in missing[:5])
        raise MingaError(f"Faltan filas de actividades en la Carta Gantt: {listed}.",
                         sheet=sheet, fix="Restaure esas filas con su N° en la columna "
                                          f"«{GANTT.column('codigo').es}».")
    values = {row_of[s.activity.code]: {"inicio": s.start, "termino": s.end} for s in scheduled}
    blocks += write_column_values(backend, sheet, match, values)

    # Informes: due date = last day of the report's execution month.
    reports = definition.reports
    if reports:
        sheet = _sheet(backend, INFORMES)
        rows = backend.read_values(sheet)
        match = _header(rows, INFORMES, sheet, ("n", "fecha_comprometida"))
        n_col = match.columns["n"]
        by_number = {}
        for r in range(match.row + 1, len(rows)):
            value = rows[r][n_col] if n_col < len(rows[r]) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                by_number.setdefault(int(value), r + 1)
        values = {}
        for activity in reports:
            row = by_number.get(activity.report or 0)
            if row is None:
                continue  # a deleted report row: the validator reports it (INF-01)
            month = definition.month_number(activity.window.end)
            values[row] = {"fecha_comprometida": calendar.execution_month_end(month)}
        blocks += write_column_values(backend, sheet, match, values)
    return PopulateResult(scheduled, len(values) if reports else 0, blocks)


def programme_start(backend: Backend) -> tuple[str | None, date | None]:
    """The programme id and start date written in the Programa sheet (None where blank)."""
    sheet = _sheet(backend, PROGRAMA)
    rows = backend.read_values(sheet)
    found: dict[str, tuple[CellValue, str]] = {
        key: (rows[r - 1][c] if c < len(rows[r - 1]) else None, f"{column_letter(c)}{r}")
        for key, (r, c) in locate_form(rows, PROGRAMA).items()}
    programme = found.get("programa", (None, ""))[0]
    value, where = found.get("inicio", (None, ""))
    start: date | None
    if value is None or value == "":
        start = None
    elif isinstance(value, datetime):
        start = value.date()
    elif isinstance(value, date):
        start = value
    elif isinstance(value, str):
        try:
            start = parse_date(value, what="la fecha de inicio")
        except MingaError as exc:
            raise MingaError(exc.message, fix=exc.fix, sheet=sheet, cell=where) from None
    else:
        raise MingaError(f"La fecha de inicio no es una fecha: «{value}».", sheet=sheet,
                         cell=where, fix="Escriba la fecha como día-mes-año, ej. 02-03-2026.")
    return (str(programme) if programme else None), start


@writes_file()
def populate_file(path: Path, definition: ProgrammeDefinition | None = None,
                  start: date | None = None, cutoff: date | None = None,
                  keep_backup: bool = True) -> tuple[PopulateResult, Path | None]:
    """Populate an existing workbook in place: backup first, then an atomic replace."""
    path = Path(path)
    backend = OpenpyxlBackend.open(path)
    check_writable(path, overwrite=True)
    programme_id, written_start = programme_start(backend)
    if definition is None:  # by id or carried by the workbook: never a path from a cell
        definition = programme_named(programme_id, backend, backend.sheet_names(),
                                     sheet=PROGRAMA.es)
        if definition is None:
            raise MingaError("El libro no indica su programa.", sheet=PROGRAMA.es,
                             fix="Escriba el programa (ej. ecomercado-15m) en la hoja Programa "
                                 "o use --programa.")
    start = start or written_start
    if start is None:
        raise MingaError("Falta la fecha de inicio del convenio.", sheet=PROGRAMA.es,
                         fix="Escríbala en la hoja Programa o use --inicio.")
    result = populate_gantt(backend, definition, start, cutoff)
    saved = backup(path) if keep_backup else None
    backend.save()
    return result, saved
