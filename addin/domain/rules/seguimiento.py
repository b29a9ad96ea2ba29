"""Matrices de seguimiento: status coherent with progress, evidence, overdue actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.wording import number

DONE, PENDING, RUNNING = "Completada", "Pendiente", "En curso"
#: Written by `minga seguimiento` on an open action past its due date: pending or running.
LATE = "Atrasada"
PAUSED = frozenset({"Reprogramada", "Suspendida"})


def _plan_records(ctx: Context):
    for plan in ctx.definition.plans:
        for record in ctx.records(plan.sheet):
            yield plan, record


def _key(record) -> str:
    return str(record.get("n") or record.get("accion") or f"fila {record.row}")


TRACKING = guide("§4, Etapa 4, objetivo 1",
                 "Registrar los avances en la Matriz de seguimiento, según corresponda a cada "
                 "plan. Esto permitirá identificar nudos críticos y visualizar opciones de "
                 "solución")


@rule("SEG-01", "error", "Estado y % de avance coherentes", TRACKING)
def status_matches_progress(ctx: Context) -> Iterator[Issue]:
    for _, record in _plan_records(ctx):
        status, progress = record.get("estado"), record.get("avance")
        if status is None or progress is None or status in PAUSED:
            continue
        expected = DONE if progress >= 1 else PENDING if progress <= 0 else RUNNING
        if status != expected and not (status == LATE and expected != DONE):
            yield Issue(record.sheet, record.cell("estado"),
                        f"La acción {_key(record)} figura «{status}» con "
                        f"{number(round(progress * 100, 1))}% de "
                        f"avance (con ese avance correspondería «{expected}»).",
                        "Corrija el estado o el % de avance para que coincidan.", _key(record))


@rule("SEG-02", "error", "Acción completada con verificador y fecha real de término",
      TRACKING)
def completed_has_evidence(ctx: Context) -> Iterator[Issue]:
    for _, record in _plan_records(ctx):
        if record.get("estado") != DONE:
            continue
        for field, name in (("verificador", "Verificador"),
                            ("termino_real", "Fecha real de término")):
            if record.get(field) is None:
                yield Issue(record.sheet, record.cell(field),
                            f"La acción {_key(record)} está completada pero le falta «{name}».",
                            f"Escriba «{name}»: una acción completada debe mostrar su "
                            "evidencia.", _key(record))


@rule("SEG-03", "warning", "Acciones atrasadas a la fecha de corte",
      guide("§4, Etapa 4, objetivo 1",
            "Analizar el cumplimiento de las actividades y evaluar la pertinencia de "
            "replanificar algunas de ellas"))
def overdue(ctx: Context) -> Iterator[Issue]:
    for _, record in _plan_records(ctx):
        start, days = record.date("inicio"), record.get("plazo_dias")
        status = record.get("estado")
        if start is None or days is None or status == DONE or status in PAUSED:
            continue
        due = start + timedelta(days=int(days))
        if due < ctx.cutoff:
            yield Issue(record.sheet, record.cell("fecha_limite"),
                        f"La acción {_key(record)} venció el {fmt(due)} y al {fmt(ctx.cutoff)} "
                        f"sigue «{status or 'sin estado'}».",
                        "Regístrela como nudo crítico y reprograme (con autorización del FOSIS "
                        "regional), o actualice su estado.", _key(record))
