"""Catastro de organizaciones and RUTs (módulo 11)."""

from __future__ import annotations

from collections.abc import Iterator

from addin.domain.rules.base import Context, Issue, guide, rule
from addin.domain.values import rut_problem

RUT_SOURCE = "Servicio de Registro Civil e Identificación: RUT con dígito verificador módulo 11"


@rule("ORG-01", "error", "RUT bien escrito y con dígito verificador correcto", RUT_SOURCE)
def valid_rut(ctx: Context) -> Iterator[Issue]:
    form = ctx.data.form
    executor = form.get("rut_ejecutor")
    if executor and (problem := rut_problem(executor)):
        yield Issue(form.name, form.cell("rut_ejecutor"), problem[0].upper() + problem[1:] + ".",
                    "Corrija el RUT del ejecutor (ej. 69.123.456-K).", "RUT del ejecutor")
    for key in ("organizaciones", "integrantes"):
        for record in ctx.records(key):
            rut = record.get("rut")
            if rut and (problem := rut_problem(rut)):
                yield Issue(record.sheet, record.cell("rut"), problem[0].upper() + problem[1:]
                            + ".", "Revise el RUT en el documento de la organización o persona.",
                            str(record.get("nombre") or f"fila {record.row}"))


@rule("ORG-02", "error", "Sin RUT repetido en el catastro", RUT_SOURCE)
def unique_rut(ctx: Context) -> Iterator[Issue]:
    seen: dict[str, tuple[int, str]] = {}
    for record in ctx.records("organizaciones"):
        rut = record.get("rut")
        if not rut or rut_problem(rut):
            continue
        number = rut.replace("-", "")
        if number in seen:
            row, name = seen[number]
            yield Issue(record.sheet, record.cell("rut"),
                        f"El RUT {rut} ya aparece en la fila {row} ({name}).",
                        "Una organización se registra una sola vez: elimine o corrija el "
                        "duplicado.", str(record.get("nombre") or f"fila {record.row}"))
        else:
            seen[number] = (record.row, str(record.get("nombre")))


INSTRUMENTS = guide(
    "§4, Etapa 1, objetivo 1",
    "se deben tener presentes el uso de algunos instrumentos para el registro de la "
    "intervención; tal es el caso del Listado o Catastro de Organizaciones Invitadas, Lista de "
    "Asistencia y Ficha de Interés de Participación")


@rule("ORG-03", "warning", "Una organización con ficha de interés fue invitada", INSTRUMENTS)
def interested_were_invited(ctx: Context) -> Iterator[Issue]:
    if not ctx.has("organizaciones", "invitada", "ficha_interes"):
        return
    for record in ctx.records("organizaciones"):
        if record.get("ficha_interes") is True and record.get("invitada") is not True:
            yield Issue(record.sheet, record.cell("invitada"),
                        f"«{record.get('nombre')}» firmó la ficha de interés pero no figura "
                        "invitada.", "Registre su invitación (catastro de organizaciones "
                                     "invitadas) y marque «Sí».",
                        str(record.get("nombre") or f"fila {record.row}"))


@rule("ORG-04", "error", "Una organización comprometida firmó antes su ficha de interés",
      guide("§4, Etapa 1, objetivo 1",
            "Obtener Ficha de Interés de Participación, la cual deberá ser firmada por todos y "
            "todas las representantes de organizaciones que declaran interés de participar"))
def committed_have_interest_form(ctx: Context) -> Iterator[Issue]:
    if not ctx.has("organizaciones", "ficha_interes", "compromiso"):
        return
    for record in ctx.records("organizaciones"):
        if record.get("compromiso") is True and record.get("ficha_interes") is not True:
            yield Issue(record.sheet, record.cell("ficha_interes"),
                        f"«{record.get('nombre')}» firmó el compromiso de participación pero no "
                        "la ficha de interés.", "Obtenga su ficha de interés firmada y marque "
                                                "«Sí».",
                        str(record.get("nombre") or f"fila {record.row}"))
