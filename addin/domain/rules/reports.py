"""Informes de avance: present, in their month, submitted and approved when due."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, fmt, guide, rule

SHEET = "informes"
APPROVED = "Aprobado"


def _rows(ctx: Context) -> dict[int, Record]:
    rows: dict[int, Record] = {}
    for record in ctx.records(SHEET):
        number = record.get("n")
        if isinstance(number, int):
            rows.setdefault(number, record)
    return rows


REPORTS = guide("§4, Etapa 4, objetivo 4",
                "Elaboración de 1 informe (mes 8)» (10 meses) / «Elaboración de 3 informes al "
                "mes 9, 11 y 13", "(15 meses)")


@rule("INF-01", "error", "Cada informe de avance exigido está, en su mes", REPORTS)
def reports_present(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not sheet.present or not sheet.header_row:
        return
    rows = _rows(ctx)
    cal = ctx.calendar
    for activity in ctx.definition.reports:
        month = ctx.definition.month_number(activity.window.end)
        record = rows.get(activity.report or 0)
        if record is None:
            # A report is not due before its month ends: what is not due is not required.
            if cal is None or cal.execution_month_end(month) >= ctx.cutoff:
                continue
            yield Issue(sheet.name, ctx.append_cell(SHEET, "n"),
                        f"Falta el informe de avance N°{activity.report} (mes {month} de "
                        "ejecución).", "Agregue su fila con N°, mes y estado.",
                        f"Informe {activity.report}")
        elif record.get("mes") != month:
            yield Issue(record.sheet, record.cell("mes"),
                        f"El informe N°{activity.report} corresponde al mes {month} de "
                        f"ejecución, no al {record.get('mes')}.",
                        f"Corrija el mes a {month}.", f"Informe {activity.report}")


def _delivery(ctx: Context) -> Iterator[tuple[int, Record, date]]:
    """Each required report that has its row: number, row and due date."""
    cal = ctx.calendar
    if cal is None:
        return
    rows = _rows(ctx)
    for activity in ctx.definition.reports:
        record = rows.get(activity.report or 0)
        if record is not None:
            month = ctx.definition.month_number(activity.window.end)
            yield activity.report or 0, record, cal.execution_month_end(month)


@rule("INF-02", "error", "Informes vencidos entregados y aprobados con acta de supervisión",
      guide("§4, Etapa 4, objetivo 4",
            "Informe entregado y aprobado por FOSIS (aprobación a través de acta de "
            "supervisión)"))
def reports_approved(ctx: Context) -> Iterator[Issue]:
    for number, record, due in _delivery(ctx):
        if due >= ctx.cutoff:
            continue
        key = f"Informe {number}"
        if record.date("fecha_entrega") is None:
            yield Issue(record.sheet, record.cell("fecha_entrega"),
                        f"El informe N°{number} vencía el {fmt(due)} y no tiene fecha de "
                        "entrega.", "Entregue el informe y registre la fecha.", key)
        elif record.get("estado") != APPROVED or not record.get("acta_supervision"):
            yield Issue(record.sheet, record.cell("estado"),
                        f"El informe N°{number} no figura aprobado con acta de supervisión.",
                        "Registre su aprobación: estado «Aprobado» y N° de acta de "
                        "supervisión.", key)


@rule("INF-03", "warning", "Informes entregados a tiempo (en su mes)", REPORTS)
def reports_on_time(ctx: Context) -> Iterator[Issue]:
    for number, record, due in _delivery(ctx):
        submitted = record.date("fecha_entrega")
        if submitted and submitted > due:
            yield Issue(record.sheet, record.cell("fecha_entrega"),
                        f"El informe N°{number} se entregó el {fmt(submitted)}, después de su "
                        f"fecha comprometida ({fmt(due)}).",
                        "Registre el motivo del atraso en Observaciones.", f"Informe {number}")
