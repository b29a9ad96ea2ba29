"""Sessions: minimum and recommended counts, meeting cadences, the evidence of each session."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta

from addin.domain.programme import SessionType
from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.wording import plural

SHEET = "sesiones"
EVIDENCE_NAMES = {"lista_asistencia": "lista de asistencia",
                  "registro_audiovisual": "registro audiovisual"}


def _count_issue(ctx: Context, kind: SessionType, wanted: int, verb: str) -> Iterator[Issue]:
    """An issue when fewer than ``wanted`` sessions of ``kind`` were held by the cut-off."""
    held = ctx.held(kind.key)
    if len(held) >= wanted:
        return
    sheet = ctx.sheet(SHEET)
    # The link lands on the last session of that type, or on the row where one is added.
    where = held[-1].cell("tipo") if held else ctx.append_cell(SHEET, "tipo")
    yield Issue(sheet.name, where,
                f"{verb} al menos {plural(wanted, 'sesión')} de «{kind.label}» y hay "
                f"{plural(len(held), 'registrada', 'registradas')} al {fmt(ctx.cutoff)}.",
                "Registre las sesiones realizadas (con su lista de asistencia o registro "
                "audiovisual) en la hoja Sesiones.", kind.label, ctx.cite(kind.source))


@rule("SES-01", "error", "Mínimo de sesiones por actividad",
      guide("§4, cada actividad", "al menos 1 sesión … al menos 2 sesiones"))
def minimum_sessions(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, "tipo", "fecha"):
        return
    for kind in ctx.definition.session_types:
        if kind.minimum and not (kind.activity and not ctx.is_due(kind.activity)):
            verb = "Se requiere" if kind.minimum == 1 else "Se requieren"
            yield from _count_issue(ctx, kind, kind.minimum, verb)


@rule("SES-04", "warning", "Sesiones que la guía recomienda",
      guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
            "se recomienda realizar una sesión de trabajo liderada por el Grupo Motor donde se "
            "convoque a todas las organizaciones comprometidas … para así seleccionar a la "
            "organización que asuma dicha responsabilidad"))
def recommended_sessions(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, "tipo", "fecha"):
        return
    for kind in ctx.definition.session_types:
        if kind.recommended and not (kind.activity and not ctx.is_due(kind.activity)):
            yield from _count_issue(ctx, kind, kind.recommended, "La guía recomienda")


@rule("SES-02", "warning", "Reuniones periódicas del Grupo Motor y del Consejo Local",
      guide("§4, Etapa 2, objetivos 1 y 2",
            "Se espera, además, que el grupo se reúna, al menos, 1 vez al mes durante toda la "
            "ejecución del proyecto» / «se espera que el consejo se reúna, al menos, 1 vez cada "
            "dos meses durante toda la ejecución del proyecto"))
def cadence(ctx: Context) -> Iterator[Issue]:
    form, cal = ctx.data.form, ctx.calendar
    if not ctx.has(SHEET, "tipo", "fecha") or not form.present or cal is None:
        return
    for rule_ in ctx.definition.cadences:
        every = "al mes" if rule_.every_months == 1 else \
            f"cada {plural(rule_.every_months, 'mes')}"
        constituted = form.get(rule_.constituted_field)
        if constituted is None and not ctx.is_due(rule_.constituted_in):
            continue
        if constituted is None:
            yield Issue(form.name, form.cell(rule_.constituted_field),
                        f"Falta la fecha de constitución del {rule_.body}.",
                        f"Escríbala: desde esa fecha el {rule_.body} debe reunirse al menos "
                        f"una vez {every}.", rule_.body, ctx.cite(rule_.source))
            continue
        end = min(ctx.cutoff, cal.execution_end)
        meetings = [r for r in ctx.sessions_of(rule_.session_type, *rule_.also_counts)
                    if r.date("fecha") is not None]
        meetings.sort(key=lambda r: r.date("fecha"))  # type: ignore[arg-type,return-value]
        days = [r.date("fecha") for r in meetings]
        k = 0
        while True:
            lo = constituted + relativedelta(months=k * rule_.every_months)
            hi = constituted + relativedelta(months=(k + 1) * rule_.every_months)
            if hi > end + relativedelta(days=1):
                break
            i = bisect_left(days, lo)  # type: ignore[arg-type]
            if i == len(days) or days[i] >= hi:  # type: ignore[operator]
                before = meetings[i - 1] if i > 0 else None
                after = meetings[i] if i < len(meetings) else None
                yield _gap(ctx, rule_.body, rule_.constituted_field, every, lo,
                           hi - relativedelta(days=1), before, after, rule_.source)
            k += 1


def _gap(ctx: Context, body: str, field: str, every: str, lo: date, last: date,
         before: Record | None, after: Record | None, source: str) -> Issue:
    """A period without meetings, pointing at the meetings that bound it."""
    bounds = []
    if before is not None:
        bounds.append(f"la anterior es del {fmt(before.date('fecha'))} (fila {before.row})")
    if after is not None:
        bounds.append(f"la siguiente es del {fmt(after.date('fecha'))} (fila {after.row})")
    where = before or after
    form = ctx.data.form
    sheet, cell = ((where.sheet, where.cell("fecha")) if where is not None
                   else (form.name, form.cell(field)))
    return Issue(sheet, cell,
                 f"El {body} no registra reuniones entre {fmt(lo)} y {fmt(last)} (debe "
                 f"reunirse al menos una vez {every})"
                 + (f"; {' y '.join(bounds)}." if bounds else "; no hay ninguna registrada."),
                 f"Registre la reunión del {body} de ese período, o justifíquela ante el FOSIS "
                 "regional.", f"{body} {fmt(lo)}", ctx.cite(source))


@rule("SES-03", "error", "Cada sesión tiene la evidencia que la guía acepta",
      guide("§4, Etapa 1, objetivo 1 (verificadores)",
            "Lista de asistencia y/o registro audiovisual de la actividad"))
def session_evidence(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        kind = ctx.session_types.get(record.get("tipo") or "")
        day = record.date("fecha")
        if kind is None or not kind.evidence or day is None or day > ctx.cutoff:
            continue  # a planned session has no evidence yet
        if any(record.get(e) is True for e in kind.evidence):
            continue
        accepted = " o ".join(EVIDENCE_NAMES[e] for e in kind.evidence)
        column = next((e for e in kind.evidence if e in record.columns), kind.evidence[0])
        yield Issue(record.sheet, record.cell(column),
                    f"La sesión de «{kind.label}» del {fmt(day)} no tiene {accepted}: es su "
                    "verificador.",
                    f"Adjunte la {accepted} y marque «Sí» en su columna.",
                    str(record.get("tipo") or f"fila {record.row}"), ctx.cite(kind.source))
