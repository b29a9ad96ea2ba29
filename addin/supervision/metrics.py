"""What a supervisor reads first about a submission, computed from the workbook as validated:
programme identity, execution month, stage reached, plan progress, overdue reports, assets not
yet transferred.  Pure Python over the typed records (no spreadsheet library)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from addin.domain.programme import ProgrammeDefinition
from addin.domain.records import Record, WorkbookData
from addin.domain.schedule import ConvenioCalendar
from addin.domain.text import normalise
from addin.errors import MingaError

#: The Programa fields that say which programme a workbook is, whatever its file's name.
IDENTITY_FIELDS = ("region", "comuna", "ejecutor", "tipo_convenio", "inicio")


@dataclass(frozen=True)
class Identity:
    region: str
    comuna: str
    ejecutor: str
    convenio: str
    start: str  # ISO date, or the text written when it is not a date

    @property
    def key(self) -> str:
        return "|".join(normalise(v) for v in (self.region, self.comuna, self.ejecutor,
                                                self.convenio, self.start))

    @property
    def label(self) -> str:
        return " · ".join(v for v in (self.region, self.comuna, self.ejecutor) if v) or \
            "(sin identificar)"

    @property
    def complete(self) -> bool:
        return all((self.region, self.comuna, self.ejecutor, self.start))

    def code(self) -> str:
        """A short name to type: ``coronel-2025-03`` (comuna and start month)."""
        slug = re.sub(r"[^a-z0-9]+", "-", normalise(self.comuna or self.ejecutor)).strip("-")
        return f"{slug or 'programa'}-{self.start[:7]}" if self.start else (slug or "programa")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def identity(data: WorkbookData) -> Identity:
    form = data.form
    return Identity(*(_text(form.get(key)) for key in IDENTITY_FIELDS))


def _records(data: WorkbookData, key: str) -> list[Record]:
    """A sheet's records; none when the programme's workbook has no such sheet (the other
    programmes' sets of sheets differ from the Ecomercado's)."""
    sheet = data.sheets.get(key)
    return sheet.records if sheet is not None else []


def _execution_month(definition: ProgrammeDefinition, start: date, cutoff: date) -> int | None:
    """1-based execution month at the cut-off (0 before execution, the last month after)."""
    try:
        calendar = ConvenioCalendar(definition.calendar, start)
    except MingaError:
        return None
    if cutoff < calendar.execution_start:
        return 0
    months = definition.calendar.execution_months
    for month in range(1, months + 1):
        if cutoff <= calendar.execution_month_end(month):
            return month
    return months


def _stage(definition: ProgrammeDefinition, data: WorkbookData) -> str:
    """The latest stage with progress in the carta Gantt (``Etapa 3``), or empty."""
    progress: dict[str, float] = {}
    for record in _records(data, "carta_gantt"):
        value = record.get("avance")
        code = record.get("codigo")
        if isinstance(value, (int, float)) and code is not None:
            progress[str(code)] = float(value)
    reached = ""
    for stage in definition.stages:
        if any(progress.get(a.code, 0) > 0 for a in stage.activities):
            reached = f"{stage.code}. {stage.name}"
    return reached


def metrics(data: WorkbookData, cutoff: date) -> dict[str, Any]:
    """The dashboard's figures for one submission (JSON-ready)."""
    definition = data.definition
    start = data.form.get("inicio")
    plan_rows = [r for plan in definition.plans for r in _records(data, plan.sheet)]
    done = sum(1 for r in plan_rows if normalise(r.get("estado")) == "completada")
    overdue = 0
    for r in _records(data, "informes"):
        due = r.date("fecha_comprometida")
        if due and due < cutoff and not r.date("fecha_entrega") and \
                normalise(r.get("estado")) in ("", "pendiente"):
            overdue += 1
    assets = _records(data, "inventario")
    return {
        "execution_month": _execution_month(definition, start, cutoff)
        if isinstance(start, date) and definition.calendar is not None else None,
        "execution_months": definition.calendar.execution_months
        if definition.calendar is not None else None,  # programmes without a convenio
        "stage": _stage(definition, data),
        "plan_actions": len(plan_rows),
        "plan_done": done,
        "plan_done_pct": round(100 * done / len(plan_rows), 1) if plan_rows else None,
        "reports_overdue": overdue,
        "assets": len(assets),
        "assets_not_transferred": sum(1 for r in assets if not r.date("fecha_traspaso")),
    }


def family(rule: str) -> str:
    """A rule's family: ``GANTT-04`` → ``GANTT``."""
    return rule.split("-", 1)[0]
