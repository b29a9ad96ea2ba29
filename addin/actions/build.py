"""The build action: every sheet of the programme workbook, planned and handed to a backend.

Each sheet is planned by ``addin.sheets`` (values and a ``SheetFormat``) and written in bulk:
one block write and one format call per sheet.  The public names other code imports from here
(``ListRegistry``, ``table_sheet``, the Gantt geometry…) are re-exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from addin.actions import checklists, prefills
from addin.actions.identity import embed_programme
from addin.actions.populate import populate_gantt, write_form_values
from addin.backends.base import Backend, CellValue
from addin.backends.xlsxwriter_backend import XlsxWriterBackend
from addin.domain.programme import ProgrammeDefinition
from addin.fileio import check_writable
from addin.layouts.ecomercado import (
    GANTT,
    INFORMES,
    PROCEDIMIENTO,
    VERIFICADORES,
)
from addin.layouts.model import Lang
from addin.layouts.sets import form_for, layouts_for
from addin.sheets.gantt import (
    MONTH_DATE_ROW,
    MONTH_ROW,
    PHASE_ROW,
    WEEK_END_ROW,
    GanttGeometry,
    gantt_rules,
    gantt_sheet,
)
from addin.sheets.plans import CAPACITY, ListRegistry, SheetPlan, cell
from addin.sheets.tables import programa_sheet, table_sheet

__all__ = [
    "CAPACITY", "MONTH_DATE_ROW", "MONTH_ROW", "PHASE_ROW", "PREFILLS", "WEEK_END_ROW",
    "GanttGeometry", "ListRegistry", "SheetPlan", "build_file", "cell", "default_output",
    "gantt_rules", "gantt_sheet", "plan_workbook", "programa_sheet", "table_sheet",
    "write_workbook",
]

Rows = Sequence[dict[str, CellValue]]


def report_rows(definition: ProgrammeDefinition) -> list[dict[str, CellValue]]:
    """Informes starts with one pending row per report the programme requires."""
    return [{"n": a.report, "mes": definition.month_number(a.window.end), "estado": "Pendiente"}
            for a in definition.reports]


#: Rows a table sheet starts with, by layout key, when the caller gives none: a new sheet
#: that the programme pre-fills needs one line here.
PREFILLS: dict[str, Callable[[ProgrammeDefinition], list[dict[str, CellValue]]]] = {
    INFORMES.key: report_rows,
    VERIFICADORES.key: checklists.verifier_rows,
    PROCEDIMIENTO.key: checklists.procedure_rows,
    **prefills.TABLES,
}
#: First values of a Programa form, by layout set (the programme's own parameters).
FORM_DEFAULTS: dict[str, Callable[[ProgrammeDefinition], dict[str, CellValue]]] = \
    prefills.FORMS


def _none(definition: ProgrammeDefinition) -> dict[str, CellValue]:
    return {}


def plan_workbook(definition: ProgrammeDefinition, lang: Lang = "es",
                  data: Mapping[str, Rows] | None = None
                  ) -> tuple[list[SheetPlan], dict[str, str]]:
    """Every sheet of the programme's workbook, in tab order, and the workbook names.

    One plan per layout of the programme's set (``addin.layouts.sets``; a table layout added
    there is built like the others), then the hidden lists.  ``data`` pre-fills table
    sheets by layout key (rows as ``{column key: value}``); a value given for a computed
    column replaces its formula.
    """
    data = data or {}
    lists = ListRegistry()
    plans: list[SheetPlan] = []
    names: dict[str, str] = {}
    for layout in layouts_for(definition):
        if layout.kind == "form":
            plan, names = programa_sheet(definition, lists, lang, layout,
                                         FORM_DEFAULTS.get(definition.layouts, _none)(definition))
        elif layout is GANTT:
            plan, _ = gantt_sheet(definition, lang)
        else:
            rows = data.get(layout.key)
            if rows is None and layout.key in PREFILLS:
                rows = PREFILLS[layout.key](definition)
            plan = table_sheet(layout, definition, lists, lang, rows or ())
        plans.append(plan)
    plans.append(lists.plan())
    return plans, names


def write_workbook(backend: Backend, definition: ProgrammeDefinition, lang: Lang = "es",
                   data: Mapping[str, Rows] | None = None) -> None:
    """Add every sheet to an empty backend workbook: one block and one format call each."""
    plans, names = plan_workbook(definition, lang, data)
    for plan in plans:
        backend.add_sheet(plan.name)
    backend.define_names(names)
    for plan in plans:
        backend.write_block(plan.name, "A1", plan.block())
        backend.format_sheet(plan.name, plan.fmt)


def default_output(definition: ProgrammeDefinition) -> Path:
    return Path(f"{definition.id}.xlsx")


def build_file(definition: ProgrammeDefinition, output: Path, *, start: date | None = None,
               cutoff: date | None = None, overwrite: bool = False, lang: Lang = "es") -> Path:
    """Build the workbook (populated when ``start`` is given) and write it atomically.

    A new workbook is written with XlsxWriter (``XlsxWriterBackend``), several times faster
    than openpyxl at saving; workbooks that exist are changed with openpyxl.
    """
    output = Path(output)
    check_writable(output, overwrite=overwrite)
    backend = XlsxWriterBackend.create(output)
    write_workbook(backend, definition, lang)
    embed_programme(backend, definition)  # a user's own programme travels with the workbook
    if start is not None and GANTT in layouts_for(definition):
        populate_gantt(backend, definition, start, cutoff)
    elif start is not None:  # no carta Gantt to date: the start (or the day) goes in Programa
        form = form_for(definition)
        keys = {c.key for c in form.columns}
        day = "inicio" if "inicio" in keys else "fecha"
        write_form_values(backend, {day: start} | (
            {"fecha_corte": cutoff} if cutoff and "fecha_corte" in keys else {}), form)
    elif cutoff is not None:  # a template keeps the cut-off it was asked for (Programa sheet)
        write_form_values(backend, {"fecha_corte": cutoff})
    backend.save()
    return output
