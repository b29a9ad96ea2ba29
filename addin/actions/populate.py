"""populate_gantt: date every activity of the carta Gantt from the convenio's start date.

Works on any backend and on workbooks users have edited: sheets and columns are found by their
headers, rows by their activity code (N°), and the dates are written in a few bulk blocks (one
per run of consecutive activity rows).

A date a person typed is theirs: populating again keeps it (and says so) unless asked to
replace it.  minga tells its own dates from typed ones by the workbook's record
(``addin.actions.record``): each date it writes is noted there under its activity code, so a
date still equal to what minga wrote is minga's (recalculated when the start date changes) and
any other is the person's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from addin.actions import checklists
from addin.actions.record import RECORD_SHEET, Record, ValueEntry
from addin.backends.base import Backend, CellValue
from addin.domain.dates import parse_date
from addin.domain.programme import ProgrammeDefinition
from addin.domain.schedule import ConvenioCalendar, ScheduledActivity, schedule
from addin.errors import MingaError
from addin.fileio import check_writable, writes_file
from addin.layouts.ecomercado import GANTT, INFORMES, PROGRAMA, VERIFICADORES
from addin.layouts.identity import SHEET as IDENTITY_SHEET
from addin.layouts.model import (
    HeaderMatch,
    SheetLayout,
    column_letter,
    find_sheet,
    locate_form,
    normalise,
)
from addin.reading import programme_named, require_columns

if TYPE_CHECKING:
    from addin.backends.openpyxl_backend import Saved


@dataclass(frozen=True)
class DateChange:
    """A date cell populating looked at: what it held (``old``) and the calculated date."""

    sheet: str
    cell: str
    key: str  # the activity's code, or «Informe N°3»
    name: str  # the activity's name, or the report's
    field: str  # the column's header, e.g. «Inicio»
    old: CellValue
    new: date


@dataclass(frozen=True)
class PopulateResult:
    activities: list[ScheduledActivity]
    reports: int
    blocks_written: int
    #: Dates written (cells that were blank, held minga's own date, or with ``replace``).
    changed: list[DateChange] = field(default_factory=list)
    #: Dates a person typed, left alone (``new`` is what minga would have written).
    kept: list[DateChange] = field(default_factory=list)


def _as_date(value: CellValue) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return parse_date(value, what="la fecha")
        except MingaError:
            return None
    return None


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _DatePlan:
    """What to do with each date cell of one populate: write, leave, and record."""

    ours: dict[str, date]  # key → the date minga wrote last time (from the record)
    replace: bool
    writes: dict[str, dict[int, dict[str, CellValue]]] = field(default_factory=dict)
    changed: list[DateChange] = field(default_factory=list)
    kept: list[DateChange] = field(default_factory=list)
    record: list[ValueEntry] = field(default_factory=list)

    def consider(self, sheet: str, row: int, column: str, key: str,
                 change: DateChange) -> None:
        """Decide for one cell: blank, minga's own or ``replace`` → write; equal → leave
        (and own it); anything else a person typed → keep."""
        current, new = change.old, change.new
        now = _as_date(current)
        if now == new and not _blank(current):
            self.record.append(ValueEntry(sheet, change.cell, key, new))
            return
        ours = self.ours.get(key)
        mine = ours is not None and now == ours and not isinstance(current, str)
        if _blank(current) or mine or self.replace:
            self.writes.setdefault(sheet, {}).setdefault(row, {})[column] = new
            self.changed.append(change)
            self.record.append(ValueEntry(sheet, change.cell, key, new))
        else:
            self.kept.append(change)


def _sheet(backend: Backend, layout: SheetLayout) -> str:
    name = find_sheet(backend.sheet_names(), layout)
    if name is None:
        raise MingaError(f"El libro no tiene la hoja «{layout.es}».", sheet=layout.es,
                         fix="Cree el libro con `minga nuevo` o restaure esa hoja.")
    return name


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
        whole = [r for r, row in values.items() if all(k in row for k in group)]
        for run in _runs(whole):
            block = [[values[r][k] for k in group] for r in run]
            backend.write_block(sheet, f"{column_letter(match.columns[group[0]])}{run[0]}", block)
            blocks += 1
        if len(group) > 1:  # rows with only some of the group's columns: column by column
            rest = {r: row for r, row in values.items() if r not in set(whole)}
            for key in group:
                for run in _runs(r for r, row in rest.items() if key in row):
                    backend.write_block(sheet, f"{column_letter(match.columns[key])}{run[0]}",
                                        [[rest[r][key]] for r in run])
                    blocks += 1
    return blocks


def write_form_values(backend: Backend, values: dict[str, CellValue],
                      layout: SheetLayout = PROGRAMA) -> int:
    """Write Programa fields (by key) into the cells right of their labels; one block each."""
    sheet = _sheet(backend, layout)
    where = locate_form(backend.read_values(sheet), layout)
    for key, value in values.items():
        if key not in where:
            raise MingaError(f"No se encontró el campo «{layout.column(key).es}».",
                             sheet=sheet, fix="Restaure la etiqueta en la columna A.")
        r, c = where[key]
        backend.write_block(sheet, f"{column_letter(c)}{r}", [[value]])
    return len(values)


def _previous_start(backend: Backend) -> date | None:
    try:
        return programme_start(backend)[1]
    except MingaError:
        return None


def _dates_for(definition: ProgrammeDefinition, start: date | None) -> dict[str, date]:
    """The dates populating from ``start`` writes, by record key."""
    if start is None:
        return {}
    calendar = ConvenioCalendar(definition.calendar, start)
    dates = {}
    for s in schedule(definition, start):
        dates[f"{GANTT.key}/{s.activity.code}/inicio"] = s.start
        dates[f"{GANTT.key}/{s.activity.code}/termino"] = s.end
    for activity in definition.reports:
        month = definition.month_number(activity.window.end)
        dates[f"{INFORMES.key}/{activity.report}/fecha_comprometida"] = \
            calendar.execution_month_end(month)
    dates.update(checklists.due_dates(definition, calendar))  # Verificadores › Vence
    return dates


def populate_gantt(backend: Backend, definition: ProgrammeDefinition, start: date,
                   cutoff: date | None = None, *, replace_dates: bool = False
                   ) -> PopulateResult:
    """Fill the start date (and cut-off), every activity's dates and the reports' due dates.

    A date cell that is blank or still holds the date minga wrote there is (re)written; one a
    person typed is kept, and listed, unless ``replace_dates``.
    """
    scheduled = schedule(definition, start)
    fresh = _dates_for(definition, start)
    blocks = 0
    record = Record.load(backend)
    ours = {v.key: v.value for v in record.values}
    if not ours:  # populated by a minga that kept no record: its dates follow Programa's start
        ours = _dates_for(definition, _previous_start(backend))
    plan = _DatePlan(ours, replace_dates)

    wanted: dict[str, CellValue] = {"inicio": start}
    if cutoff:
        wanted["fecha_corte"] = cutoff
    blocks += write_form_values(backend, wanted)

    # Carta Gantt: rows by activity code.
    gantt = _sheet(backend, GANTT)
    rows = backend.read_values(gantt)
    match = require_columns(rows, GANTT, gantt, ("codigo", "inicio", "termino"))
    matches = {gantt: match}
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
                         sheet=gantt, fix="Restaure esas filas con su N° en la columna "
                                          f"«{GANTT.column('codigo').es}».")
    for s in scheduled:
        row = row_of[s.activity.code]
        for column in ("inicio", "termino"):
            col = match.columns[column]
            current = rows[row - 1][col] if col < len(rows[row - 1]) else None
            key = f"{GANTT.key}/{s.activity.code}/{column}"
            plan.consider(gantt, row, column, key, DateChange(
                gantt, f"{column_letter(col)}{row}", s.activity.code, s.activity.name,
                GANTT.column(column).es, current, fresh[key]))

    # Informes: due date = last day of the report's execution month.
    reports = definition.reports
    handled = 0
    if reports:
        informes = _sheet(backend, INFORMES)
        rows = backend.read_values(informes)
        match = matches[informes] = require_columns(rows, INFORMES, informes,
                                            ("n", "fecha_comprometida"))
        n_col, due_col = match.columns["n"], match.columns["fecha_comprometida"]
        by_number = {}
        for r in range(match.row + 1, len(rows)):
            value = rows[r][n_col] if n_col < len(rows[r]) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                by_number.setdefault(int(value), r + 1)
        for activity in reports:
            row = by_number.get(activity.report or 0)
            if row is None:
                continue  # a deleted report row: the validator reports it (INF-01)
            handled += 1
            current = rows[row - 1][due_col] if due_col < len(rows[row - 1]) else None
            key = f"{INFORMES.key}/{activity.report}/fecha_comprometida"
            plan.consider(informes, row, "fecha_comprometida", key, DateChange(
                informes, f"{column_letter(due_col)}{row}", f"Informe N°{activity.report}",
                activity.name, INFORMES.column("fecha_comprometida").es, current, fresh[key]))

    # Verificadores: each required document's due date (addin/actions/checklists.py).
    calendar = ConvenioCalendar(definition.calendar, start)
    if (found := checklists.due_cells(backend, definition, calendar)) is not None:
        sheet, match, cells = found
        matches[sheet] = match
        for c in cells:
            plan.consider(sheet, c.row, "vence", c.key, DateChange(
                sheet, c.cell, c.code, c.name, VERIFICADORES.column("vence").es, c.current, c.due))

    for sheet, values in plan.writes.items():
        blocks += write_column_values(backend, sheet, matches[sheet], values)
    record.values = plan.record
    record.save(backend)
    return PopulateResult(scheduled, handled, blocks, plan.changed, plan.kept)


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


def programme_and_start(backend: Backend, definition: ProgrammeDefinition | None = None,
                        start: date | None = None) -> tuple[ProgrammeDefinition, date]:
    """The programme and start date to populate with: those given, else the Programa sheet's.

    The programme is found by id or carried by the workbook, never a path from a cell.
    """
    programme_id, written_start = programme_start(backend)
    if definition is None:
        definition = programme_named(programme_id, backend, backend.sheet_names(),
                                     sheet=PROGRAMA.es)
        if definition is None:
            raise MingaError("El libro no indica su programa.", sheet=PROGRAMA.es,
                             fix="Escriba el programa (ej. ecomercado-15m) en la hoja Programa "
                                 "o use --programa.")
    if not definition.stages:
        raise MingaError(f"El programa «{definition.name}» no tiene carta Gantt que poblar.",
                         fix="`minga poblar` es para programas con etapas (ej. ecomercado-15m, "
                             "conecta-peru); valide este libro con `minga validar`.")
    start = start or written_start
    if start is None:
        raise MingaError("Falta la fecha de inicio del convenio.", sheet=PROGRAMA.es,
                         fix="Escríbala en la hoja Programa o use --inicio.")
    return definition, start


@writes_file()
def populate_file(path: Path, definition: ProgrammeDefinition | None = None,
                  start: date | None = None, cutoff: date | None = None,
                  keep_backup: bool = True, replace_dates: bool = False, force: bool = False
                  ) -> tuple[PopulateResult, Saved]:
    """Populate an existing workbook in place: backup first, then an atomic replace — not
    if the rewrite would lose anything of the user's, unless ``force``
    (``OpenpyxlBackend.save``)."""
    from addin.backends.openpyxl_backend import OpenpyxlBackend  # only to change a file

    path = Path(path)
    backend = OpenpyxlBackend.open(path)
    check_writable(path, overwrite=True)
    definition, start = programme_and_start(backend, definition, start)
    result = populate_gantt(backend, definition, start, cutoff, replace_dates=replace_dates)
    saved = backend.save(own={RECORD_SHEET, IDENTITY_SHEET}, keep_backup=keep_backup,
                         force=force, forceable=True)
    return result, saved
