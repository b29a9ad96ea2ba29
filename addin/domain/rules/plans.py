"""Plan de trabajo and plan de comunicaciones: fields, alliances, ámbitos, leading body."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.text import normalise

FIELD_NAMES = {
    "ambito": "Ámbito", "objetivo": "Objetivo", "accion": "Acción",
    "resultado_esperado": "Resultado esperado", "responsables": "Responsable(s)",
    "plazo_dias": "Plazo (días)", "requerimientos": "Requerimientos",
    "alianza": "¿Activa alianzas?", "con_quien": "Con quién",
}


def _key(record) -> str:
    return str(record.get("n") or record.get("accion") or f"fila {record.row}")


FIELDS = guide("§4, Etapa 3, objetivo 2",
               "Tanto el plan de trabajo participativo como el plan de comunicaciones, en su "
               "diseño, deberán contemplar, al menos, los siguientes elementos: Objetivo(s) …, "
               "acciones …, resultados esperados, responsables, plazos (días/semanas), "
               "requerimientos específicos … y activación de alianzas (si/no, con quién/es)")


@rule("PLAN-01", "error", "Cada fila del plan tiene todos sus campos", FIELDS)
def required_fields(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        for record in ctx.records(plan.sheet):
            for field in plan.required_fields:
                if record.get(field) is None:
                    name = FIELD_NAMES.get(field, field)
                    yield Issue(record.sheet, record.cell(field),
                                f"Falta «{name}» en la acción {_key(record)} del {plan.name}.",
                                f"Complete «{name}»: toda acción del plan lo requiere.",
                                _key(record))


@rule("PLAN-02", "error", "Si la acción activa alianzas, dice con quién", FIELDS)
def alliance_partner(ctx: Context) -> Iterator[Issue]:
    for plan in ctx.definition.plans:
        for record in ctx.records(plan.sheet):
            if record.get("alianza") is True and not record.get("con_quien"):
                yield Issue(record.sheet, record.cell("con_quien"),
                            f"La acción {_key(record)} activa alianzas pero no dice con quién.",
                            "Escriba con qué organizaciones o instituciones se hace la alianza.",
                            _key(record))


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
        covered = {normalise(r.get("ambito")) for r in sheet.records}
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
        for record in ctx.records(plan.sheet):
            start, days = record.date("inicio"), record.get("plazo_dias")
            if start is None:
                continue
            limit = start + timedelta(days=int(days)) if isinstance(days, int | float) else None
            if start < lo:
                where, what = "inicio", f"empieza el {fmt(start)}"
            elif limit is not None and limit > hi:
                where, what = "fecha_limite", f"vence el {fmt(limit)}"
            else:
                continue
            yield Issue(record.sheet, record.cell(where),
                        f"La acción {_key(record)} del {plan.name} {what}, fuera de su "
                        f"implementación ({fmt(lo)} a {fmt(hi)}).",
                        "Ajuste la fecha de inicio o el plazo a los meses de implementación (o "
                        "registre la reprogramación autorizada en Observaciones).", _key(record))
