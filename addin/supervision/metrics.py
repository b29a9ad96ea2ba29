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
from addin.layouts.sets import LAYOUT_SETS, SLOTS, identification_for


@dataclass(frozen=True)
class Identity:
    """Whose submission a workbook is: the five slots of its kind's identification
    (``layouts.sets.IDENTIFICATION``); ``comuna`` holds the territory of any kind."""

    region: str
    comuna: str
    ejecutor: str
    convenio: str
    start: str  # ISO date, or the text written when it is not a date
    kind: str = "ecomercado"  # the layout set: ecomercado, indicadores, asamblea, ruta
    programme: str = ""  # the definition's id

    @property
    def key(self) -> str:
        """The programme's key in the history.  An Ecomercado's is the one histories have
        always stored; another kind's starts with its definition, so a project and an
        assembly of one ejecutor and place are never taken for each other."""
        parts = [self.region, self.comuna, self.ejecutor, self.convenio, self.start]
        if self.kind != "ecomercado":
            parts.insert(0, self.programme)
        return "|".join(normalise(v) for v in parts)

    @property
    def label(self) -> str:
        return " · ".join(v for v in (self.region, self.comuna, self.ejecutor) if v) or \
            "(sin identificar)"

    def _blank(self) -> list[str]:
        """The required slots of the kind's identification left blank."""
        slots = dict(zip(SLOTS, (self.region, self.comuna, self.ejecutor, self.convenio,
                                 self.start), strict=True))
        return [s for s in identification_for(self.kind).required if not slots[s]]

    @property
    def complete(self) -> bool:
        return not self._blank()

    def missing(self) -> list[str]:
        """The Spanish labels of the identification fields left blank."""
        form = next(lay for lay in LAYOUT_SETS.get(self.kind, LAYOUT_SETS["ecomercado"])
                    if lay.kind == "form")
        return [identification_for(self.kind).label(s, form) for s in self._blank()]

    def code(self) -> str:
        """A short name to type: ``coronel-2025-03`` (an Ecomercado's comuna and start
        month), ``conecta-peru-2022-06`` (another kind's programme and start month)."""
        name = self.comuna or self.ejecutor if self.kind == "ecomercado" else self.programme
        slug = re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")
        return f"{slug or 'programa'}-{self.start[:7]}" if self.start else (slug or "programa")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def identity(data: WorkbookData) -> Identity:
    kind = data.definition.layouts
    ident = identification_for(kind)
    values = [_text(data.form.get(key)) if key else "" for key in
              (ident.field(slot) for slot in SLOTS)]
    return Identity(*values, kind=kind, programme=data.definition.id)


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
    progress, progress_pct = _progress(data, len(plan_rows), done)
    return {
        "kind": definition.layouts,
        "progress": progress,  # the kind's headline figure, in words
        "progress_pct": progress_pct,
        "execution_month": _execution_month(definition, start, cutoff)
        if isinstance(start, date) and definition.calendar is not None else None,
        "execution_months": definition.calendar.execution_months
        if definition.calendar is not None else None,  # programmes without a convenio
        "stage": _stage(definition, data),
        "plan_actions": len(plan_rows),
        "plan_done": done,
        "plan_done_pct": round(100 * done / len(plan_rows), 1) if plan_rows else None,
        # None where the kind of workbook has no such sheet: «0 overdue» would be a claim.
        "reports_overdue": overdue if "informes" in data.sheets else None,
        "assets": len(assets),
        "assets_not_transferred": sum(1 for r in assets if not r.date("fecha_traspaso"))
        if "inventario" in data.sheets else None,
    }


def _amount(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else 0.0


def _progress(data: WorkbookData, actions: int, done: int) -> tuple[str, float | None]:
    """How far a submission has got, in its kind's own terms: plan actions done
    (Ecomercado), indicators that met their target, people registered against the reach,
    savings against the fund's target."""
    from addin.domain.wording import number, plural

    kind = data.definition.layouts
    if kind == "indicadores":
        rows = _records(data, "indicadores")
        targeted = [r for r in rows if _amount(r.get("meta")) > 0]
        if targeted:
            met = sum(1 for r in targeted if _amount(r.get("logrado")) >= _amount(r.get("meta")))
            return (f"{met} de {plural(len(targeted), 'indicador', 'indicadores')} con la meta "
                    "cumplida", round(100 * met / len(targeted), 1))
        stated = sum(1 for r in rows if r.get("logrado") is not None)
        return f"{stated} de {plural(len(rows), 'indicador', 'indicadores')} informados", None
    if kind == "asamblea":
        people = len(_records(data, "inscripcion"))
        reach = _amount(data.form.get("alcance")) or (
            data.definition.assembly.reach if data.definition.assembly else 0)
        return (f"{plural(people, 'inscrito')} de {number(reach)}",
                round(100 * people / reach, 1) if reach else None)
    if kind == "ruta":
        moves = _records(data, "fondo")  # progress to target counts what was saved (FON-05)
        saved = sum(_amount(r.get("aporte")) for r in moves)
        balance = saved - sum(_amount(r.get("retiro")) for r in moves)
        fund = data.definition.savings_fund
        target = _amount(data.form.get("meta_fondo")) or (fund.target if fund else 0)
        currency = f" {fund.currency}" if fund and fund.currency else ""
        return (f"Aportes al fondo: {number(saved)} de {number(target)}{currency} (saldo "
                f"{number(balance)})", round(100 * saved / target, 1) if target else None)
    if not actions:
        return "", None
    return (f"{done} de {plural(actions, 'acción del plan', 'acciones del plan')} completadas",
            round(100 * done / actions, 1))


def family(rule: str) -> str:
    """A rule's family: ``GANTT-04`` → ``GANTT``."""
    return rule.split("-", 1)[0]
