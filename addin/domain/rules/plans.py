"""Plan de trabajo and plan de comunicaciones: fields, alliances, ámbitos, leading body."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from addin.domain.records import SheetData
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.text import normalise

FIELD_NAMES = {
    "ambito": "Ámbito", "objetivo": "Objetivo", "accion": "Acción",
    "resultado_esperado": "Resultado esperado", "responsables": "Responsable(s)",
    "plazo_dias": "Plazo (días)", "requerimientos": "Requerimientos",
    "alianza": "¿Activa alianzas?", "con_quien": "Con quién",
}


def _key(sheet: SheetData, i: int) -> str:
    """The action of the ``i``-th record, as findings name it: its N°, its text or its row."""
    return str(sheet.column("n")[i] or sheet.column("accion")[i] or f"fila {sheet.rows[i]}")


FIELDS = guide("§4, Etapa 3, objetivo 2",
               "Tanto el plan de trabajo participativo como el plan de comunicaciones, en su "
               "diseño, deberán contemplar, al menos, los siguientes elementos: Objetivo(s) …, "
               "acciones …, resultados esperados, responsables, plazos (días/semanas), "
               "requerimientos específicos … y activación de alianzas (si/no, con quién/es)")


@rule("PLAN-01", "error", "Cada fila del plan tiene todos sus campos", FIELDS)
def required_fields(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        sheet = ctx.sheet(plan.sheet)
        fields = [(field, sheet.column(field)) for field in plan.required_fields]
        blank = sorted({i for _, values in fields if None in values
                        for i in [i for i, value in enumerate(values) if value is None]})
        for i in blank:
            for field, values in fields:
                if values[i] is None:
                    name = FIELD_NAMES.get(field, field)
                    yield Issue(sheet.name, sheet.cell(field, i),
                                f"Falta «{name}» en la acción {_key(sheet, i)} del {plan.name}.",
                                f"Complete «{name}»: toda acción del plan lo requiere.",
                                _key(sheet, i))


@rule("PLAN-02", "error", "Si la acción activa alianzas, dice con quién", FIELDS)
def alliance_partner(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        sheet = ctx.sheet(plan.sheet)
        for i in [i for i, (alliance, partner) in enumerate(zip(
                sheet.column("alianza"), sheet.column("con_quien"), strict=True))
                if alliance is True and not partner]:
            yield Issue(sheet.name, sheet.cell("con_quien", i),
                        f"La acción {_key(sheet, i)} activa alianzas pero no dice con quién.",
                        "Escriba con qué organizaciones o instituciones se hace la alianza.",
                        _key(sheet, i))


@rule("PLAN-03", "error", "El plan cubre cada ámbito mínimo",
      guide("§4, Etapa 3, objetivo 2",
            "A continuación, un listado de las acciones mínimas a considerar en cada uno de "
            "los planes"))
def scopes_covered(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        sheet = ctx.sheet(plan.sheet)
        elaboration = f"elaboracion_{plan.key}"
        due = any(a.key == elaboration for a in ctx.definition.activities) and \
            ctx.is_due(elaboration)
        if not sheet.present or not due:
            continue
        covered = set(sheet.normalised("ambito"))
        for scope in plan.scopes:
            if normalise(scope) not in covered:
                yield Issue(sheet.name, ctx.append_cell(plan.sheet, "ambito"),
                            f"El {plan.name} no tiene acciones del ámbito «{scope}».",
                            "Agregue al menos una acción de ese ámbito.", scope)


@rule("PLAN-04", "error", "Cada plan lo elabora su instancia",
      guide("§4, Etapa 3, objetivo 2",
            "Sesiones para elaboración del plan de trabajo participativo liderado por Grupo "
            "Motor y/o comunidad organizada» / «Sesiones para elaboración de plan de "
            "comunicaciones liderado por Consejo Local"))
def led_by(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        for record in ctx.sessions_of(plan.key):
            body = record.get("instancia")
            if body in plan.led_by:
                continue
            yield Issue(record.sheet, record.cell("instancia"),
                        f"La sesión de elaboración del {plan.name} del "
                        f"{fmt(record.date('fecha'))} figura con «{body or 'sin instancia'}», "
                        f"pero ese plan lo lidera {plan.leaders}.",
                        f"Indique «{'» o «'.join(plan.led_by)}» como instancia de la sesión.",
                        str(record.get("tipo")))


@rule("PLAN-05", "error", "El plan se valida antes de implementarlo",
      guide("§4, Etapa 3, objetivo 2",
            "Socialización y validación del plan de trabajo participativo con: la comunidad "
            "organizada que participa del Ecomercado, el equipo de trabajo Ecomercado, el "
            "municipio y la red de colaboradores y/o donantes"))
def validated_before_implementation(ctx: Context) -> Iterator[Issue]:
    """A validation session (a type with ``before_activity``) precedes the implementation."""
    for kind in ctx.definition.session_types:
        if kind.before_activity is None or not ctx.has_started(kind.before_activity):
            continue
        start = ctx.activity_start(kind.before_activity)
        sessions = sorted((r for r in ctx.sessions_of(kind.key) if r.date("fecha")),
                          key=lambda r: r.date("fecha"))  # type: ignore[arg-type,return-value]
        if not sessions or sessions[0].date("fecha") <= start:  # type: ignore[operator]
            continue  # none at all is SES-01's finding
        first = sessions[0]
        activity = ctx.definition.activity(kind.before_activity)
        yield Issue(first.sheet, first.cell("fecha"),
                    f"«{kind.label}» es del {fmt(first.date('fecha'))}, después del inicio de "
                    f"«{activity.name}» ({fmt(start)}).",
                    "El plan se socializa y valida antes de implementarlo: revise las fechas "
                    "de la sesión o de la carta Gantt.", kind.label, ctx.cite(kind.source))


@rule("PLAN-06", "warning", "Las acciones del plan caen en los meses de implementación",
      guide("§4, Etapa 4, objetivo 1",
            "el equipo ejecutor comenzará dichas actividades a partir del mes 7 de "
            "implementación, para ambos convenios"))
def actions_inside_implementation(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        implementation = f"implementacion_{plan.key}"
        if not any(a.key == implementation for a in ctx.definition.activities):
            continue
        lo, hi = ctx.activity_start(implementation), ctx.activity_end(implementation)
        if lo is None or hi is None:
            continue
        sheet = ctx.sheet(plan.sheet)
        # Each distinct (start, days) once: a plan repeats the same few of them.
        pairs = list(zip(sheet.dates("inicio"), sheet.column("plazo_dias"), strict=True))
        outside = {}
        for start, days in set(pairs):
            if start is None:
                continue
            limit = start + timedelta(days=int(days)) if isinstance(days, int | float) else None
            if start < lo:
                outside[start, days] = "inicio", f"empieza el {fmt(start)}"
            elif limit is not None and limit > hi:
                outside[start, days] = "fecha_limite", f"vence el {fmt(limit)}"
        if not outside:
            continue
        for i in [i for i, pair in enumerate(pairs) if pair in outside]:
            where, what = outside[pairs[i]]
            yield Issue(sheet.name, sheet.cell(where, i),
                        f"La acción {_key(sheet, i)} del {plan.name} {what}, fuera de su "
                        f"implementación ({fmt(lo)} a {fmt(hi)}).",
                        "Ajuste la fecha de inicio o el plazo a los meses de implementación (o "
                        "registre la reprogramación autorizada en Observaciones).",
                        _key(sheet, i))
