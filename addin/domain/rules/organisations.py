"""Catastro de organizaciones and RUTs (módulo 11)."""

from __future__ import annotations

from collections.abc import Iterator

from addin.domain.rules.base import Context, Issue, rule
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
