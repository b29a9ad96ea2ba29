"""Sessions: minimum and recommended counts, meeting cadences, the evidence of each session."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from operator import itemgetter

from addin.domain.dates import add_months
from addin.domain.programme import SessionType
from addin.domain.records import Record
from addin.domain.rules.base import PARTICIPATION, Context, Issue, fmt, guide, rule
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
                "Registre las sesiones realizadas en la hoja Sesiones" + (
                    f", con su {' o '.join(EVIDENCE_NAMES[e] for e in kind.evidence)}."
                    if kind.evidence else "."), kind.label, ctx.cite(kind.source))


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
        # Its own meetings, and any session in which it took part (proyección, validations…).
        counted = {rule_.session_type, *rule_.also_counts}
        sheet = ctx.sheet(SHEET)
        took_part = sheet.column(PARTICIPATION.get(rule_.body, ""))
        dated = sorted(((day, record) for record, kind, day, body, part in zip(
            sheet.records, ctx.session_kinds, sheet.dates("fecha"), sheet.column("instancia"),
            took_part, strict=True)
            if day is not None and ((kind is not None and kind.key in counted)
                                    or body == rule_.body or part is True)),
            key=itemgetter(0))
        days = [day for day, _ in dated]
        meetings = [record for _, record in dated]
        k = 0
        while True:
            lo = add_months(constituted, k * rule_.every_months)
            hi = add_months(constituted, (k + 1) * rule_.every_months)
            if hi > end + timedelta(days=1):
                break
            i = bisect_left(days, lo)  # type: ignore[arg-type]
            if i == len(days) or days[i] >= hi:  # type: ignore[operator]
                before = meetings[i - 1] if i > 0 else None
                after = meetings[i] if i < len(meetings) else None
                yield _gap(ctx, rule_.body, rule_.constituted_field, every, lo,
                           hi - timedelta(days=1), before, after, rule_.source)
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
    sheet = ctx.sheet(SHEET)
    for record, kind, day in zip(sheet.records, ctx.session_kinds, sheet.dates("fecha"),
                                 strict=True):
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


def _held_of(ctx: Context, test: Callable[[SessionType], bool]
             ) -> Iterator[tuple[SessionType, Record]]:
    """Each session held by the cut-off whose type passes ``test``, with its type."""
    sheet = ctx.sheet(SHEET)
    for record, kind, day in zip(sheet.records, ctx.session_kinds, sheet.dates("fecha"),
                                 strict=True):
        if kind is not None and day is not None and day <= ctx.cutoff and test(kind):
            yield kind, record


@rule("SES-05", "error", "La sesión la lidera quien la guía indica",
      guide("§4, Etapa 4, objetivo 3",
            "Sesión de evaluación del proceso (espacio de análisis y reflexión liderado por ADL "
            "del FOSIS)"))
def led_by_its_body(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, "instancia"):
        return
    for kind, record in _held_of(ctx, lambda k: bool(k.led_by)):
        body = record.get("instancia")
        if body not in kind.led_by:
            yield Issue(record.sheet, record.cell("instancia"),
                        f"La sesión de «{kind.label}» del {fmt(record.date('fecha'))} figura "
                        f"liderada por «{body or 'nadie'}»; la lidera "
                        f"{' o '.join(kind.led_by)}.",
                        f"Indique «{'» o «'.join(kind.led_by)}» en «Instancia».",
                        kind.label, ctx.cite(kind.source))


@rule("SES-06", "error", "Las sesiones que la guía registra en acta tienen su acta",
      guide("§4, Etapa 2 y Etapa 4",
            "Acta de registro de conformación del Grupo Motor» / «Acta de acuerdos y "
            "compromisos de las sesiones de trabajo"))
def minutes(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, "acta"):
        return
    for kind, record in _held_of(ctx, lambda k: k.acta):
        if record.get("acta") is not True:
            yield Issue(record.sheet, record.cell("acta"),
                        f"La sesión de «{kind.label}» del {fmt(record.date('fecha'))} no tiene "
                        "acta: es su verificador.",
                        "Adjunte el acta firmada y marque «Sí» en «Acta».", kind.label,
                        ctx.cite(kind.source))


@rule("SES-07", "warning", "Cada sesión cae en la ventana de su actividad",
      guide("§4, cada actividad", "Considerando los tiempos de ejecución del programa (Carta "
                                  "Gantt según convenio), el equipo ejecutor cuenta con …"))
def inside_window(ctx: Context) -> Iterator[Issue]:
    """Within the activity's programme window, give or take the definition's tolerance."""
    if ctx.calendar is None:
        return
    windows: dict[str, tuple[date, date]] = {}
    sheet = ctx.sheet(SHEET)
    for record, kind, day in zip(sheet.records, ctx.session_kinds, sheet.dates("fecha"),
                                 strict=True):
        if kind is None or day is None or not kind.check_window or kind.activity is None:
            continue
        if kind.key not in windows:
            first, last = ctx.window(kind.activity)  # type: ignore[misc]
            slack = timedelta(days=ctx.definition.session_tolerance_days
                              if kind.tolerance_days is None else kind.tolerance_days)
            windows[kind.key] = (first - slack, last + slack)
        lo, hi = windows[kind.key]
        if not lo <= day <= hi:
            activity = ctx.definition.activity(kind.activity)
            first, last = ctx.window(kind.activity)  # type: ignore[misc]
            yield Issue(record.sheet, record.cell("fecha"),
                        f"La sesión de «{kind.label}» del {fmt(day)} cae fuera de la ventana de "
                        f"«{activity.name}» ({fmt(first)} a {fmt(last)}, con "
                        f"{plural((hi - last).days, 'día')} de tolerancia).",
                        "Revise la fecha; si el calendario cambió, registre la autorización del "
                        "FOSIS regional en Observaciones.", kind.label,
                        ctx.cite(activity.source))


def _first(ctx: Context, key: str) -> tuple[date, str, str | None] | None:
    """The earliest date of a session type: (date, sheet, cell), counting the constitution
    date written in Programa for a body's constitution session."""
    sessions = [r for r in ctx.sessions_of(key) if r.date("fecha") is not None]
    found = [(r.date("fecha"), r.sheet, r.cell("fecha")) for r in sessions]
    form = ctx.data.form
    for cadence in ctx.definition.cadences:
        day = form.get(cadence.constituted_field)
        if cadence.constitution_session == key and isinstance(day, date):
            found.append((day, form.name, form.cell(cadence.constituted_field)))
    return min(found, key=lambda f: f[0]) if found else None  # type: ignore[return-value]


@rule("SES-08", "error", "Las sesiones van en el orden de la guía",
      guide("§4, Etapa 2, objetivo 2",
            "resulta indispensable la realización de sesiones intermedias, antes de su "
            "conformación"))
def in_order(ctx: Context) -> Iterator[Issue]:
    """A session type's first session comes after the first of each type it follows."""
    for kind in ctx.definition.session_types:
        if not kind.after or (first := _first(ctx, kind.key)) is None:
            continue
        day, sheet, cell = first
        if day > ctx.cutoff:
            continue
        for key in kind.after:
            before = ctx.definition.session_type(key)
            earlier = _first(ctx, key)
            if earlier is not None and earlier[0] <= day:
                continue
            if earlier is None and before.minimum and before.activity and \
                    ctx.is_due(before.activity):
                continue  # SES-01 already says it is missing
            yield Issue(sheet, cell,
                        f"«{kind.label}» ({fmt(day)}) no tiene antes una sesión de "
                        f"«{before.label}»"
                        + (f": la primera es del {fmt(earlier[0])}." if earlier else "."),
                        f"Registre la sesión de «{before.label}» que la precede, o corrija "
                        "las fechas.", kind.label, ctx.cite(kind.source))


@rule("SES-09", "error", "En cada sesión participa quien la guía indica",
      guide("§4, Etapa 4, objetivo 2",
            "Al menos, 2 sesiones de trabajo donde participe municipio, Grupo Motor y Consejo "
            "Local"))
def participants(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, *PARTICIPATION.values()):
        return  # an older Sesiones sheet without the participation columns
    for kind, record in _held_of(ctx, lambda k: bool(k.participants)):
        missing = [b for b in kind.participants if not ctx.took_part(record, b)]
        if missing:
            names = ", ".join(missing[:-1]) + (" y " if len(missing) > 1 else "") + missing[-1]
            yield Issue(record.sheet, record.cell(PARTICIPATION[missing[0]]),
                        f"La sesión de «{kind.label}» del {fmt(record.date('fecha'))} no "
                        f"registra la participación de: {names}.",
                        "Marque «Sí» en la columna «Participa …» de quienes participaron (según "
                        "la lista de asistencia).", kind.label, ctx.cite(kind.source))
