"""The carta Gantt against the programme: activities present, dated, in their windows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from addin.domain.programme import ActivityKind
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.schedule import describe_window

SHEET = "carta_gantt"
SCHEDULE = guide("§2, Estrategia",
                 "Este es el cronograma del componente 2 – Gestión Comunitaria para convenios "
                 "de 10 meses … para convenios de 15 meses")


#: The generic schedule rules also judge other programmes' staged roadmaps («cronograma»).
CRONOGRAMA = ("ecomercado", "cronograma")


@rule("GANTT-01", "error", "Actividad obligatoria presente en la carta Gantt", SCHEDULE,
      CRONOGRAMA)
def mandatory_activities(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not sheet.present or not sheet.header_row:
        return
    previous = None  # the row the missing activity belongs after: the link lands there
    for stage in ctx.definition.stages:
        previous = ctx.gantt_rows.get(stage.code) or previous
        for activity in stage.activities:
            row = ctx.gantt_rows.get(activity.code)
            if row is not None or not activity.mandatory:
                previous = row or previous
                continue
            where = previous.cell("codigo") if previous else ctx.header(SHEET, "codigo")
            yield Issue(sheet.name, where,
                        f"Falta la actividad obligatoria {activity.code} «{activity.name}».",
                        f"Agregue una fila con N° {activity.code} y sus fechas debajo de esta "
                        "(o ejecute `minga poblar`).", activity.code)


@rule("GANTT-02", "error", "Cada actividad tiene inicio y término, y empieza antes de terminar",
      SCHEDULE, CRONOGRAMA)
def dated_in_order(ctx: Context) -> Iterator[Issue]:
    for activity, row in ctx.activity_rows():
        start, end = row.date("inicio"), row.date("termino")
        if (start is None or end is None) and ctx.start is None:
            continue  # one finding says the convenio has no start date (LECTURA-05)
        if start is None or end is None:
            missing = row.cell("inicio") if start is None else row.cell("termino")
            yield Issue(row.sheet, missing, f"La actividad {activity.code} «{activity.name}» "
                        "no tiene fecha de inicio o de término.",
                        "Escriba ambas fechas o ejecute `minga poblar` para fecharla según el "
                        "programa.", activity.code)
        elif start > end:
            yield Issue(row.sheet, row.cell("termino"),
                        f"La actividad {activity.code} termina ({fmt(end)}) antes de empezar "
                        f"({fmt(start)}).", "Corrija la fecha de inicio o la de término.",
                        activity.code)


@rule("GANTT-03", "error", "Las actividades caen dentro del convenio",
      guide("§4, Etapa 2, objetivo 1", "ejecuciones de 8 o 13 meses"), CRONOGRAMA)
def inside_convenio(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None:
        return
    for activity, row in ctx.activity_rows():
        for key in ("inicio", "termino"):
            day = row.date(key)
            if day is not None and not cal.start <= day <= cal.end:
                yield Issue(row.sheet, row.cell(key),
                            f"La fecha {fmt(day)} de la actividad {activity.code} está fuera "
                            f"del convenio ({fmt(cal.start)} a {fmt(cal.end)}).",
                            "Corrija la fecha o la fecha de inicio del convenio en la hoja "
                            "Programa.", activity.code)


@rule("GANTT-04", "error", "Cada actividad dentro de su ventana del programa",
      guide("§4, cada actividad", "Considerando los tiempos de ejecución del programa (Carta "
                                  "Gantt según convenio), el equipo ejecutor cuenta con …"))
def inside_window(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None:
        return
    for activity, row in ctx.activity_rows():
        # A milestone (a report) may fall anywhere in its window, its whole month.
        bounds = ctx.window(activity.key)
        if bounds is None:
            continue
        first, last = bounds
        start, end = row.date("inicio"), row.date("termino")
        window = describe_window(activity, ctx.definition)
        what = "vence en" if activity.kind is ActivityKind.MILESTONE else "se ejecuta en"
        for key, day, bad in (("inicio", start, start and start < first),
                              ("termino", end, end and end > last)):
            if bad and day is not None and cal.start <= day <= cal.end:
                yield Issue(row.sheet, row.cell(key),
                            f"La actividad {activity.code} «{activity.name}» {what} {window} "
                            f"({fmt(first)} a {fmt(last)}), pero su "
                            f"{'inicio' if key == 'inicio' else 'término'} es {fmt(day)}.",
                            "Ajuste la fecha a la ventana del programa; un cambio de "
                            "calendario requiere autorización previa del FOSIS regional.",
                            activity.code, ctx.cite(activity.source))


@rule("GANTT-05", "error", "Las etapas empiezan en orden",
      guide("§3, Ruta del componente comunitario", "ETAPA 1 … ETAPA 2 … ETAPA 3 … ETAPA 4"),
      CRONOGRAMA)
def stages_in_order(ctx: Context) -> Iterator[Issue]:
    previous = None
    for stage in ctx.definition.stages:
        starts = [(row.date("inicio"), row) for a in stage.activities
                  if (row := ctx.gantt_rows.get(a.code)) is not None and row.date("inicio")]
        if not starts:
            continue
        first = min(starts, key=lambda pair: pair[0])  # type: ignore[arg-type,return-value]
        if previous is not None and first[0] < previous[0]:  # type: ignore[operator]
            row = first[1]
            yield Issue(row.sheet, row.cell("inicio"),
                        f"La etapa {stage.code} empieza ({fmt(first[0])}) antes que la etapa "
                        f"{previous[2]} ({fmt(previous[0])}).",
                        "Las etapas se ejecutan en orden: corrija las fechas.",
                        str(row.get("codigo")))
        previous = (first[0], first[1], stage.code)


@rule("GANTT-06", "error", "Procedimiento interno antes de la primera socialización",
      guide("§4, Etapa 1, objetivo 1 (orientaciones metodológicas)",
            "no es posible socializar el Ecomercado Solidario sin antes contar con los aspectos "
            "antes señalados"))
def procedure_before_socialisation(ctx: Context) -> Iterator[Issue]:
    form = ctx.data.form
    if not form.present or not ctx.has("sesiones", "tipo", "fecha"):
        return
    procedure = form.get("fecha_procedimiento")
    sessions = [r.date("fecha") for r in ctx.sessions_of("socializacion") if r.date("fecha")]
    first = min(sessions) if sessions else None  # type: ignore[type-var]
    if procedure is None:
        if first is not None or ctx.is_due("socializacion"):
            yield Issue(form.name, form.cell("fecha_procedimiento"),
                        "Falta la fecha del procedimiento interno del Ecomercado.",
                        "Escriba la fecha del procedimiento interno: debe existir antes de la "
                        "primera sesión de socialización.", "procedimiento interno")
    elif first is not None and procedure >= first:
        yield Issue(form.name, form.cell("fecha_procedimiento"),
                    f"El procedimiento interno ({fmt(procedure)}) no es anterior a la primera "
                    f"socialización ({fmt(first)}).",
                    "El Ecomercado no se puede socializar sin su procedimiento interno: "
                    "revise las fechas.", "procedimiento interno")


@rule("GANTT-07", "warning", "Grupo Motor y Consejo Local constituidos dentro de su ventana",
      guide("§4, Etapa 2, objetivos 1 y 2",
            "el equipo ejecutor cuenta con 1,5 meses para el desarrollo de la actividad"))
def constituted_in_window(ctx: Context) -> Iterator[Issue]:
    form = ctx.data.form
    if not form.present or ctx.calendar is None:
        return
    for cadence in ctx.definition.cadences:
        day = form.get(cadence.constituted_field)
        if not isinstance(day, date):
            continue
        first, last = ctx.window(cadence.constituted_in)  # type: ignore[misc]
        if not first <= day <= last:
            activity = ctx.definition.activity(cadence.constituted_in)
            yield Issue(form.name, form.cell(cadence.constituted_field),
                        f"El {cadence.body} se constituyó el {fmt(day)}, fuera de la ventana de "
                        f"«{activity.name}» ({fmt(first)} a {fmt(last)}).",
                        "Revise la fecha; si el calendario cambió con autorización del FOSIS "
                        "regional, déjelo anotado.", cadence.body, ctx.cite(activity.source))
