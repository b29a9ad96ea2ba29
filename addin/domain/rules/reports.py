"""Informes de avance: present, in their month, submitted and approved when due."""

from __future__ import annotations

from collections.abc import Iterator

from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, fmt, rule

SHEET = "informes"
APPROVED = "Aprobado"


def _rows(ctx: Context) -> dict[int, Record]:
    rows: dict[int, Record] = {}
    for record in ctx.records(SHEET):
        number = record.get("n")
        if isinstance(number, int):
            rows.setdefault(number, record)
    return rows


@rule("INF-01", "error", "Cada informe de avance exigido está, en su mes")
def reports_present(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not sheet.present or not sheet.header_row:
        return
    rows = _rows(ctx)
    for activity in ctx.definition.reports:
        month = ctx.definition.month_number(activity.window.end)
        record = rows.get(activity.report or 0)
        if record is None:
            yield Issue(sheet.name, ctx.header(SHEET, "n"),
                        f"Falta el informe de avance N°{activity.report} (mes {month} de "
                        "ejecución).", "Agregue su fila con N°, mes y estado.",
                        f"Informe {activity.report}")
        elif record.get("mes") != month:
            yield Issue(record.sheet, record.cell("mes"),
                        f"El informe N°{activity.report} corresponde al mes {month} de "
                        f"ejecución, no al {record.get('mes')}.",
                        f"Corrija el mes a {month}.", f"Informe {activity.report}")


@rule("INF-02", "error", "Informes vencidos entregados y aprobados con acta de supervisión")
def reports_approved(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None:
        return
    rows = _rows(ctx)
    for activity in ctx.definition.reports:
        record = rows.get(activity.report or 0)
        month = ctx.definition.month_number(activity.window.end)
        due = cal.execution_month_end(month)
        if record is None or due >= ctx.cutoff:
            continue
        key = f"Informe {activity.report}"
        if record.date("fecha_entrega") is None:
            yield Issue(record.sheet, record.cell("fecha_entrega"),
                        f"El informe N°{activity.report} vencía el {fmt(due)} y no tiene fecha "
                        "de entrega.", "Entregue el informe y registre la fecha.", key)
        elif record.get("estado") != APPROVED or not record.get("acta_supervision"):
            yield Issue(record.sheet, record.cell("estado"),
                        f"El informe N°{activity.report} no figura aprobado con acta de "
                        "supervisión.", "Registre su aprobación: estado «Aprobado» y N° de "
                                        "acta de supervisión.", key)


@rule("INF-03", "warning", "Informes entregados a tiempo")
def reports_on_time(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None:
        return
    rows = _rows(ctx)
    for activity in ctx.definition.reports:
        record = rows.get(activity.report or 0)
        due = cal.execution_month_end(ctx.definition.month_number(activity.window.end))
        submitted = record.date("fecha_entrega") if record else None
        if record is not None and submitted and submitted > due:
            yield Issue(record.sheet, record.cell("fecha_entrega"),
                        f"El informe N°{activity.report} se entregó el {fmt(submitted)}, "
                        f"después de su fecha comprometida ({fmt(due)}).",
                        "Registre el motivo del atraso en Observaciones.",
                        f"Informe {activity.report}")
