"""Sessions: minimum counts, meeting cadences, attendance lists."""

from __future__ import annotations

from collections.abc import Iterator

from dateutil.relativedelta import relativedelta

from addin.domain.rules.base import Context, Issue, fmt, rule

SHEET = "sesiones"


@rule("SES-01", "error", "Mínimo de sesiones por actividad")
def minimum_sessions(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not ctx.has(SHEET, "tipo", "fecha"):
        return
    for kind in ctx.definition.session_types:
        if kind.minimum == 0 or (kind.activity and not ctx.is_due(kind.activity)):
            continue
        held = [r for r in ctx.sessions_of(kind.key)
                if (day := r.date("fecha")) is not None and day <= ctx.cutoff]
        if len(held) < kind.minimum:
            yield Issue(sheet.name, ctx.header(SHEET, "tipo"),
                        f"Se requieren al menos {kind.minimum} sesiones de «{kind.label}» y "
                        f"hay {len(held)} registradas al {fmt(ctx.cutoff)}.",
                        "Registre las sesiones realizadas (con su lista de asistencia) en la "
                        "hoja Sesiones.", kind.label)


@rule("SES-02", "error", "Reuniones periódicas del Grupo Motor y del Consejo Local")
def cadence(ctx: Context) -> Iterator[Issue]:
    sheet, form, cal = ctx.sheet(SHEET), ctx.data.form, ctx.calendar
    if not ctx.has(SHEET, "tipo", "fecha") or not form.present or cal is None:
        return
    for rule_ in ctx.definition.cadences:
        constituted = form.get(rule_.constituted_field)
        if constituted is None and not ctx.is_due(rule_.constituted_in):
            continue
        if constituted is None:
            yield Issue(form.name, form.cell(rule_.constituted_field),
                        f"Falta la fecha de constitución del {rule_.body}.",
                        f"Escríbala: desde esa fecha el {rule_.body} debe reunirse al menos "
                        f"una vez cada {rule_.every_months} mes(es).", rule_.body)
            continue
        end = min(ctx.cutoff, cal.execution_end)
        days = sorted(d for r in ctx.sessions_of(rule_.session_type, *rule_.also_counts)
                      if (d := r.date("fecha")) is not None)
        k = 0
        while True:
            lo = constituted + relativedelta(months=k * rule_.every_months)
            hi = constituted + relativedelta(months=(k + 1) * rule_.every_months)
            if hi > end + relativedelta(days=1):
                break
            if not any(lo <= d < hi for d in days):
                last = hi - relativedelta(days=1)
                yield Issue(sheet.name, ctx.header(SHEET, "fecha"),
                            f"El {rule_.body} no registra reuniones entre {fmt(lo)} y "
                            f"{fmt(last)} (debe reunirse al menos una vez cada "
                            f"{rule_.every_months} mes(es)).",
                            f"Registre la reunión del {rule_.body} de ese período, o "
                            "justifíquela ante el FOSIS regional.",
                            f"{rule_.body} {fmt(lo)}")
            k += 1


@rule("SES-03", "error", "Cada sesión tiene lista de asistencia")
def attendance_list(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        if record.get("lista_asistencia") is False:
            yield Issue(record.sheet, record.cell("lista_asistencia"),
                        f"La sesión del {fmt(record.date('fecha'))} no tiene lista de "
                        "asistencia: es el verificador exigido.",
                        "Adjunte la lista de asistencia firmada y marque «Sí».",
                        str(record.get("tipo") or f"fila {record.row}"))
