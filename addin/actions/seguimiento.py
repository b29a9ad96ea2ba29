"""actualizar_seguimiento: the «Seguimiento» button — both matrices at the cut-off date.

- An open action (not Completada nor Suspendida) whose due date is before the cut-off is
  marked *Atrasada* in its Estado; an *Atrasada* one that no longer is (its plazo moved, the
  cut-off moved back) goes back to *En curso* or *Pendiente* by its % done.
- Each plan's progress — its actions' % done weighted by their plazo in days (a Completada
  action without % counts as done; Suspendida ones are left out) — is written in the carta
  Gantt's % avance of the activity that implements the plan; the stage rows roll it up live
  with their own formula, and the summary shows the stage's figure too.
- The critical knots (overdue, suspended, or open with a «nudo crítico» written) are listed,
  each linked to its row, on the «Nudos críticos» sheet, rewritten on each run.

Reads each sheet once and writes in blocks (a run of consecutive Estado cells, the Gantt's
% column, the summary sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from addin.actions.build import ListRegistry, table_sheet
from addin.actions.populate import code_text, write_column_values
from addin.backends.base import MAX_ROW_HEIGHT, Backend, CellValue, Link, Style, Styled
from addin.domain.programme import ProgrammeDefinition
from addin.domain.records import Record
from addin.domain.wording import number, plural
from addin.errors import MingaError
from addin.fileio import check_writable, writes_file
from addin.layouts.acciones import NUDOS
from addin.layouts.ecomercado import (
    GANTT,
    PLAN_CLOSED,
    PLAN_LATE,
    SEGUIMIENTO_COMUNICACIONES,
    SEGUIMIENTO_TRABAJO,
)
from addin.layouts.model import HeaderMatch, column_letter, find_sheet, locate_header
from addin.reading import programme_and_form, read_table

if TYPE_CHECKING:
    from addin.backends.openpyxl_backend import Saved

PLAN_LAYOUTS = {layout.key: layout for layout in (SEGUIMIENTO_TRABAJO,
                                                  SEGUIMIENTO_COMUNICACIONES)}
DONE, RUNNING, PENDING, SUSPENDED = "Completada", "En curso", "Pendiente", "Suspendida"


@dataclass(frozen=True)
class Knot:
    """A critical knot: a seguimiento row that needs attention."""

    plan: str
    sheet: str
    cell: str  # the row's Acción cell
    n: Any
    action: str
    responsible: str
    due: date | None
    status: str
    progress: float | None
    days_late: int | None
    why: str
    note: str


@dataclass
class SeguimientoResult:
    cutoff: date
    #: (sheet, cell, action) of rows newly marked Atrasada, and of rows no longer late.
    marked_late: list[tuple[str, str, str]] = field(default_factory=list)
    unmarked: list[tuple[str, str, str]] = field(default_factory=list)
    #: Plan name → (Gantt activity code, progress 0–1); None when the plan has no actions.
    plans: dict[str, tuple[str | None, float | None]] = field(default_factory=dict)
    #: Stage code → its progress, as the Gantt's stage row rolls it up.
    stages: dict[str, float] = field(default_factory=dict)
    knots: list[Knot] = field(default_factory=list)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _due(record: Record) -> date | None:
    """Fecha límite as written, else Fecha de inicio + Plazo (días) (the column's formula,
    which a file read by openpyxl holds as a formula, not a date)."""
    due = _day(record.get("fecha_limite"))
    start, days = _day(record.get("inicio")), record.get("plazo_dias")
    if due is None and start is not None and isinstance(days, int | float):
        due = start + timedelta(days=int(days))
    return due


def _progress(record: Record) -> float:
    value = record.get("avance")
    if isinstance(value, int | float):
        return max(0.0, min(1.0, float(value)))
    return 1.0 if record.get("estado") == DONE else 0.0


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def cutoff_of(backend: Backend, definition: ProgrammeDefinition | None
              ) -> tuple[ProgrammeDefinition, date]:
    """The programme and the cut-off date: Programa › Fecha de corte, else today."""
    names = backend.sheet_names()
    definition, form = programme_and_form(backend, names, definition)
    written = form.get("fecha_corte")
    return definition, written if isinstance(written, date) else date.today()


def actualizar_seguimiento(backend: Backend, definition: ProgrammeDefinition | None = None,
                           cutoff: date | None = None) -> SeguimientoResult:
    """Mark late actions, roll progress up into the Gantt, list the critical knots."""
    definition, written_cutoff = cutoff_of(backend, definition)
    cutoff = cutoff or written_cutoff
    result = SeguimientoResult(cutoff)
    names = backend.sheet_names()
    activity_progress: dict[str, float] = {}
    for plan in definition.plans:
        layout = PLAN_LAYOUTS.get(plan.sheet)
        if layout is None or find_sheet(names, layout) is None:
            raise MingaError(f"El libro no tiene la hoja «{layout.es if layout else plan.sheet}».",
                             fix="Restaure la hoja desde una plantilla de minga.")
        data, _ = read_table(backend, names, layout, definition, check_required=False)
        if not data.header_row:
            raise MingaError("No se encontró la fila de encabezados.", sheet=data.name,
                             fix="Restaure los títulos de columna de la matriz.")
        if "estado" not in data.columns:
            raise MingaError(f"Falta la columna «{layout.column('estado').es}».",
                             sheet=data.name, fix="Restaure la columna Estado de la matriz.")
        writes: dict[int, dict[str, CellValue]] = {}
        weight_sum = done_sum = 0.0
        for record in data.records:
            status = _text(record.get("estado"))
            due = _due(record)
            open_ = status not in PLAN_CLOSED
            late = open_ and due is not None and due < cutoff
            action = _text(record.get("accion")) or f"fila {record.row}"
            if late and status != PLAN_LATE:
                writes[record.row] = {"estado": PLAN_LATE}
                result.marked_late.append((data.name, record.cell("estado"), action))
                status = PLAN_LATE
            elif not late and status == PLAN_LATE:
                status = RUNNING if _progress(record) > 0 else PENDING
                writes[record.row] = {"estado": status}
                result.unmarked.append((data.name, record.cell("estado"), action))
            if status != SUSPENDED:
                days = record.get("plazo_dias")
                weight = float(days) if isinstance(days, int | float) and days > 0 else 1.0
                weight_sum += weight
                done_sum += weight * _progress(record)
            note = _text(record.get("observaciones"))
            why = ("Atrasada" if late else "Suspendida" if status == SUSPENDED
                   else "Nudo crítico registrado" if note and open_ else "")
            if why:
                result.knots.append(Knot(
                    plan.name, data.name, record.cell("accion"), record.get("n"), action,
                    _text(record.get("responsables")), due, status,
                    record.get("avance"), (cutoff - due).days if late and due else None,
                    why, note))
        if writes:
            match = HeaderMatch(data.header_row - 1, data.columns, ())
            write_column_values(backend, data.name, match, writes)
        progress = round(done_sum / weight_sum, 4) if weight_sum else None
        code = None
        if plan.activity is not None:
            code = next(a.code for a in definition.activities if a.key == plan.activity)
            if progress is not None:
                activity_progress[code] = progress
        result.plans[plan.name] = (code, progress)
    if activity_progress:
        result.stages = _write_gantt(backend, definition, activity_progress)
    _write_summary(backend, definition, result)
    return result


def _write_gantt(backend: Backend, definition: ProgrammeDefinition,
                 progress: dict[str, float]) -> dict[str, float]:
    """Write each activity's % in the Gantt; return each touched stage's rolled-up %."""
    names = backend.sheet_names()
    sheet = find_sheet(names, GANTT)
    if sheet is None:
        raise MingaError(f"El libro no tiene la hoja «{GANTT.es}».", sheet=GANTT.es,
                         fix="Restaure la carta Gantt (cree el libro con `minga nuevo`).")
    rows = backend.read_values(sheet)
    match = locate_header(rows, GANTT.columns)
    if match is None or not {"codigo", "avance"} <= set(match.columns):
        raise MingaError("No se encontraron las columnas «N°» y «% avance».", sheet=sheet,
                         fix="Restaure los encabezados de la carta Gantt.")
    c = match.columns

    def value(r: int, key: str) -> Any:
        col = c.get(key)
        return rows[r][col] if col is not None and col < len(rows[r]) else None

    row_of: dict[str, int] = {}
    for r in range(match.row + 1, len(rows)):
        code = code_text(value(r, "codigo"))
        if code and code not in row_of:
            row_of[code] = r
    missing = [code for code in progress if code not in row_of]
    if missing:
        raise MingaError(f"Falta en la Carta Gantt la fila de la actividad {missing[0]}.",
                         sheet=sheet, fix="Restaure la fila con su N° en la columna «N°».")
    writes = {row_of[code] + 1: {"avance": pct} for code, pct in progress.items()}
    write_column_values(backend, sheet, match, writes)
    stages: dict[str, float] = {}
    for stage in definition.stages:
        codes = [a.code for a in stage.activities]
        if not any(code in progress for code in codes):
            continue
        weight = total = 0.0
        for activity in stage.activities:
            r = row_of.get(activity.code)
            if r is None:
                continue
            pct = progress.get(activity.code, value(r, "avance"))
            if not isinstance(pct, int | float) or isinstance(pct, bool):
                continue  # milestones and blank rows do not count
            start, end = _day(value(r, "inicio")), _day(value(r, "termino"))
            days = (end - start).days + 1 if start and end and end >= start else 1
            weight += days
            total += days * float(pct)
        if weight:
            stages[stage.code] = round(total / weight, 4)
    return stages


def _pct(value: float | None) -> str:
    return "sin acciones" if value is None else f"{number(round(value * 100), 0)} %"


def _write_summary(backend: Backend, definition: ProgrammeDefinition,
                   result: SeguimientoResult) -> None:
    """Rewrite «Nudos críticos»: progress per plan and stage on top, one row per knot."""
    sheet = find_sheet(backend.sheet_names(), NUDOS)
    if sheet is None:
        sheet = NUDOS.es
        backend.add_sheet(sheet)
    else:
        backend.clear_sheet(sheet)
    rows = [{"plan": k.plan, "n": k.n, "accion": k.action, "responsables": k.responsible,
             "fecha_limite": k.due, "estado": k.status, "avance": k.progress,
             "dias_atraso": k.days_late, "motivo": k.why, "nudo": k.note,
             "celda": f"{k.sheet}!{k.cell}"} for k in result.knots]
    plan = table_sheet(NUDOS, definition, ListRegistry(), "es", rows)
    parts = [f"{name}: {_pct(pct)}" + (f" (actividad {code})" if code else "")
             for name, (code, pct) in result.plans.items()]
    parts += [f"etapa {code}: {_pct(pct)}" for code, pct in result.stages.items()]
    plan.put(2, 1, f"Seguimiento al {result.cutoff:%d-%m-%Y}. Avance — " + "; ".join(parts)
             + f". {plural(len(result.knots), 'nudo crítico', 'nudos críticos')}.")
    plan.fmt.validations.clear()
    first = NUDOS.first_data_row
    cell_col = column_letter(NUDOS.index("celda"))
    for i, knot in enumerate(result.knots):
        plan.fmt.links.append(Link(f"{cell_col}{first + i}", knot.sheet, knot.cell))
        lines = max(-(-len(str(r or "")) // int(c.width * 1.1))
                    for c, r in zip(NUDOS.columns, rows[i].values(), strict=True))
        plan.fmt.row_heights[first + i] = min(15 * max(lines, 1), MAX_ROW_HEIGHT)
    if result.knots:
        last = column_letter(len(NUDOS.columns) - 1)
        plan.fmt.styles.append(Styled(f"A{first}:{last}{first + len(result.knots) - 1}",
                                      Style(wrap=True, v_align="top")))
    backend.write_block(sheet, "A1", plan.block())
    backend.format_sheet(sheet, plan.fmt)


def resumen(result: SeguimientoResult) -> str:
    """What the button did, in a few Spanish lines for a message box."""
    lines = [f"Seguimiento al {result.cutoff:%d-%m-%Y}."]
    lines += [f"{name}: {_pct(pct)} de avance" + (f" (actividad {code} de la carta Gantt)"
                                                   if code else "") + "."
              for name, (code, pct) in result.plans.items()]
    back = plural(len(result.unmarked), "acción dejó", "acciones dejaron")
    lines.append(f"{plural(len(result.marked_late), 'acción marcada', 'acciones marcadas')} "
                 "«Atrasada»" + (f"; {back} de estarlo" if result.unmarked else "") + ".")
    lines.append(f"{plural(len(result.knots), 'nudo crítico', 'nudos críticos')}: vea la hoja "
                 f"«{NUDOS.es}».")
    return "\n".join(lines)


@writes_file()
def seguimiento_file(path: Path, cutoff: date | None = None, keep_backup: bool = True
                     ) -> tuple[SeguimientoResult, Saved]:
    """Update the seguimiento of a workbook file in place: backup first, atomic replace;
    refused, file untouched, if the rewrite would lose anything of the user's."""
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    path = Path(path)
    backend = OpenpyxlBackend.open(path)
    check_writable(path, overwrite=True)
    result = actualizar_seguimiento(backend, cutoff=cutoff)
    saved = backend.save(own={NUDOS.es}, keep_backup=keep_backup)
    return result, saved
