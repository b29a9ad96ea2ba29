"""Documents: the verifiers of each activity, the procedimiento interno, the priorización matrix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.text import normalise
from addin.domain.verifiers import due_date, required_documents

SHEET = "verificadores"
PENDING, APPROVED = "Pendiente", "Aprobado"
DELIVERED = frozenset({"Entregado", APPROVED, "No aplica"})
#: The two halves of the priorización matrix (its «Tipo» dropdown).
PRIORITY_KINDS = ("Necesidad / problema", "Recurso / potencialidad")
SCORES = ("magnitud", "gravedad", "capacidad")
LINK = re.compile(r"^(https?://|www\.|mailto:)", re.IGNORECASE)


def _verifier_rows(ctx: Context) -> dict[tuple[str, str], Record]:
    rows: dict[tuple[str, str], Record] = {}
    for record in ctx.records(SHEET):
        key = (normalise(record.get("codigo")), normalise(record.get("verificador")))
        rows.setdefault(key, record)
    return rows


@rule("VER-01", "error", "Cada verificador vencido a la fecha de corte está entregado",
      guide("§4, cada actividad, columna «VERIFICADORES»",
            "Para ello se deben tener presentes el uso de algunos instrumentos para el registro "
            "de la intervención"))
def due_verifiers_delivered(ctx: Context) -> Iterator[Issue]:
    sheet, cal = ctx.sheet(SHEET), ctx.calendar
    if not sheet.present or not sheet.header_row or cal is None:
        return
    rows = _verifier_rows(ctx)
    for doc in required_documents(ctx.definition):
        due = due_date(cal, doc.ref)
        if due >= ctx.cutoff:
            continue  # not due yet: not required
        name = doc.verifier.name
        record = rows.get((normalise(doc.activity.code), normalise(name)))
        source = ctx.cite(doc.verifier.source or doc.activity.source)
        if record is None:
            yield Issue(sheet.name, ctx.append_cell(SHEET, "verificador"),
                        f"Falta el verificador «{name}» de la actividad {doc.activity.code}; "
                        f"vencía el {fmt(due)}.",
                        f"Agregue su fila (N° actividad {doc.activity.code}) con su estado, "
                        "fecha y archivo.", name, source)
        elif record.get("estado") not in DELIVERED:
            yield Issue(record.sheet, record.cell("estado"),
                        f"El verificador «{name}» venció el {fmt(due)} y figura "
                        f"«{record.get('estado') or 'sin estado'}».",
                        "Entréguelo y registre su estado, fecha y archivo o enlace (o «No "
                        "aplica», con el motivo en Observaciones).", name, source)


@rule("VER-02", "error", "Un verificador aprobado tiene su fecha",
      guide("§4, Etapa 1, objetivo 1",
            "se deben tener presentes el uso de algunos instrumentos para el registro de la "
            "intervención"))
def approved_has_date(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        if record.get("estado") == APPROVED and record.date("fecha") is None:
            name = str(record.get("verificador") or f"fila {record.row}")
            yield Issue(record.sheet, record.cell("fecha"),
                        f"El verificador «{name}» figura aprobado sin fecha.",
                        "Escriba la fecha de aprobación (la del acta o del correo del FOSIS).",
                        name)


def _local(reference: object) -> str | None:
    """A file name or relative path (not a link), as written."""
    if not isinstance(reference, str) or not reference.strip() or LINK.match(reference.strip()):
        return None
    return reference.strip().replace("\\", "/")


@rule("VER-03", "warning", "Los archivos nombrados como verificador están junto al libro",
      guide("§4, Etapa 1, objetivo 1",
            "se deben tener presentes el uso de algunos instrumentos para el registro de la "
            "intervención"))
def files_present(ctx: Context) -> Iterator[Issue]:
    """Only when the verifiers are beside the workbook: at least one named file is found."""
    exists = ctx.file_exists
    if exists is None:
        return
    named = []  # (sheet, record, column, path): each file named, where
    for key, column in ((SHEET, "archivo"), ("sesiones", "verificador")):
        sheet = ctx.sheet(key)
        locals_ = {value: _local(value) for value in set(sheet.column(column))}
        named += [(sheet, i, column, path) for i, value in enumerate(sheet.column(column))
                  if (path := locals_[value])]
    found = set(filter(exists, {path for _, _, _, path in named}))  # each file asked once
    if not found:
        return  # the workbook travelled alone: nothing to say about its files
    for sheet, i, column, path in named:
        if path not in found:
            yield Issue(sheet.name, sheet.cell(column, i),
                        f"No se encuentra el archivo «{path}» junto al libro.",
                        "Copie el archivo a la carpeta del libro o corrija el nombre (o use un "
                        "enlace).", path)


@rule("PROC-01", "error", "El procedimiento interno contiene lo que la guía pide",
      guide("§4, Etapa 1, objetivo 1 (nota)",
            "El procedimiento interno es un documento elaborado por el organismo ejecutor, el "
            "cual debe dar cuenta del procedimiento de funcionamiento u operatoria del "
            "Ecomercado Solidario y debe contener, al menos, los siguientes elementos"))
def procedure_complete(ctx: Context) -> Iterator[Issue]:
    """Due by the first socialisation (it must exist before it: GANTT-06 checks the date)."""
    sheet = ctx.sheet("procedimiento")
    if not sheet.present or not sheet.header_row or not ctx.has_started("socializacion"):
        return
    rows = {normalise(r.get("elemento")): r for r in sheet.records}
    for item in ctx.definition.internal_procedure_contents:
        record = rows.get(normalise(item))
        if record is None:
            yield Issue(sheet.name, ctx.append_cell("procedimiento", "elemento"),
                        f"Falta «{item}» en la lista de control del procedimiento interno.",
                        "Agregue la fila y marque si el procedimiento lo incluye.", item)
        elif record.get("incluido") is not True:
            yield Issue(record.sheet, record.cell("incluido"),
                        f"El procedimiento interno no incluye «{item}».",
                        "Complete el procedimiento interno con ese elemento y marque «Sí»; debe "
                        "estar completo antes de la primera socialización.", item)


@rule("PRI-01", "error", "Matriz de priorización llena al empezar a elaborar el plan",
      guide("§4, Etapa 3, objetivo 1",
            "el ejecutor deberá registrar los contenidos en la Matriz de priorización de "
            "necesidades/problemas y recursos/potencialidades"))
def priorities_scored(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet("priorizacion")
    if not ctx.has("priorizacion", "tipo", *SCORES) or \
            not ctx.has_started("elaboracion_plan_trabajo"):
        return
    start = ctx.activity_start("elaboracion_plan_trabajo")
    for kind in PRIORITY_KINDS:
        scored = [r for r in sheet.records if r.get("tipo") == kind
                  and all(r.get(s) is not None for s in SCORES)]
        if not scored:
            yield Issue(sheet.name, ctx.append_cell("priorizacion", "tipo"),
                        f"La matriz de priorización no tiene ninguna fila «{kind}» puntuada, y la "
                        f"elaboración del plan de trabajo empezó el {fmt(start)}.",
                        f"Registre los elementos «{kind}» de la sesión de priorización con su "
                        "magnitud, gravedad y capacidad de resolución.", kind)
