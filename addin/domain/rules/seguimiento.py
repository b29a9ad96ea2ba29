"""Matrices de seguimiento: status coherent with progress, evidence, overdue actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from addin.domain.records import SheetData
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.wording import number

DONE, PENDING, RUNNING = "Completada", "Pendiente", "En curso"
#: Written by `minga seguimiento` on an open action past its due date: pending or running.
LATE = "Atrasada"
PAUSED = frozenset({"Reprogramada", "Suspendida"})


def _plan_sheets(ctx: Context) -> Iterator[SheetData]:
    for plan in ctx.definition.plans:
        yield ctx.sheet(plan.sheet)


def _key(sheet: SheetData, i: int) -> str:
    """The action of the ``i``-th record, as findings name it: its N°, its text or its row."""
    return str(sheet.column("n")[i] or sheet.column("accion")[i] or f"fila {sheet.rows[i]}")


TRACKING = guide("§4, Etapa 4, objetivo 1",
                 "Registrar los avances en la Matriz de seguimiento, según corresponda a cada "
                 "plan. Esto permitirá identificar nudos críticos y visualizar opciones de "
                 "solución")


@rule("SEG-01", "error", "Estado y % de avance coherentes", TRACKING)
def status_matches_progress(ctx: Context) -> Iterator[Issue]:
    for sheet in _plan_sheets(ctx):
        pairs = list(zip(sheet.column("estado"), sheet.column("avance"), strict=True))
        wrong = {}  # each distinct (status, progress) once: a sheet repeats the same few
        for status, progress in set(pairs):
            if status is None or progress is None or status in PAUSED:
                continue
            expected = DONE if progress >= 1 else PENDING if progress <= 0 else RUNNING
            if status != expected and not (status == LATE and expected != DONE):
                wrong[status, progress] = expected
        if not wrong:
            continue
        for i in [i for i, pair in enumerate(pairs) if pair in wrong]:
            (status, progress), expected = pairs[i], wrong[pairs[i]]
            yield Issue(sheet.name, sheet.cell("estado", i),
                        f"La acción {_key(sheet, i)} figura «{status}» con "
                        f"{number(round(progress * 100, 1))}% de "
                        f"avance (con ese avance correspondería «{expected}»).",
                        "Corrija el estado o el % de avance para que coincidan.",
                        _key(sheet, i))


@rule("SEG-02", "error", "Acción completada con verificador y fecha real de término",
      TRACKING)
def completed_has_evidence(ctx: Context) -> Iterator[Issue]:
    for sheet in _plan_sheets(ctx):
        evidence, ended = sheet.column("verificador"), sheet.column("termino_real")
        for i in [i for i, (status, proof, end) in enumerate(zip(
                sheet.column("estado"), evidence, ended, strict=True))
                if status == DONE and (proof is None or end is None)]:
            for field, name, values in (("verificador", "Verificador", evidence),
                                        ("termino_real", "Fecha real de término", ended)):
                if values[i] is None:
                    yield Issue(sheet.name, sheet.cell(field, i),
                                f"La acción {_key(sheet, i)} está completada pero le falta "
                                f"«{name}».",
                                f"Escriba «{name}»: una acción completada debe mostrar su "
                                "evidencia.", _key(sheet, i))


@rule("SEG-03", "warning", "Acciones atrasadas a la fecha de corte",
      guide("§4, Etapa 4, objetivo 1",
            "Analizar el cumplimiento de las actividades y evaluar la pertinencia de "
            "replanificar algunas de ellas"))
def overdue(ctx: Context) -> Iterator[Issue]:
    for sheet in _plan_sheets(ctx):
        rows = list(zip(sheet.dates("inicio"), sheet.column("plazo_dias"),
                        sheet.column("estado"), strict=True))
        late = {}  # each distinct (start, days, status) once
        for start, days, status in set(rows):
            if start is None or days is None or status == DONE or status in PAUSED:
                continue
            due = start + timedelta(days=int(days))
            if due < ctx.cutoff:
                late[start, days, status] = due
        if not late:
            continue
        for i in [i for i, row in enumerate(rows) if row in late]:
            status, due = rows[i][2], late[rows[i]]
            yield Issue(sheet.name, sheet.cell("fecha_limite", i),
                        f"La acción {_key(sheet, i)} venció el {fmt(due)} y al "
                        f"{fmt(ctx.cutoff)} sigue «{status or 'sin estado'}».",
                        "Regístrela como nudo crítico y reprograme (con autorización del FOSIS "
                        "regional), o actualice su estado.", _key(sheet, i))
