"""Grupo Motor and Consejo Local members."""

from __future__ import annotations

from collections.abc import Iterator

from addin.domain.rules.base import Context, Issue, fmt, rule
from addin.domain.text import normalise

SHEET = "integrantes"
GRUPO_MOTOR = "Grupo Motor"


def _active(ctx: Context, body: str) -> list:
    return [r for r in ctx.records(SHEET) if r.get("instancia") == body
            and not (r.date("fecha_retiro") and r.date("fecha_retiro") <= ctx.cutoff)]


@rule("INT-01", "error", "Grupo Motor de al menos 5 integrantes, salvo justificación")
def grupo_motor_size(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not sheet.present or not ctx.is_due("conformacion_grupo_motor"):
        return
    members = _active(ctx, GRUPO_MOTOR)
    minimum = ctx.definition.grupo_motor_min_members
    if len(members) < minimum and not ctx.data.form.get("justificacion_gm"):
        yield Issue(sheet.name, ctx.header(SHEET, "instancia"),
                    f"El Grupo Motor tiene {len(members)} integrantes activos al "
                    f"{fmt(ctx.cutoff)}; el mínimo es {minimum}.",
                    "Incorpore integrantes, o escriba la justificación acordada con el FOSIS "
                    "regional en la hoja Programa.", GRUPO_MOTOR)


@rule("INT-02", "error", "Cada integrante firmó su declaración de compromiso")
def signed_commitment(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        if record.get("compromiso") is False:
            yield Issue(record.sheet, record.cell("compromiso"),
                        f"{record.get('nombre') or 'Este integrante'} ({record.get('instancia')}"
                        ") no ha firmado la declaración de compromiso.",
                        "Obtenga la declaración firmada y marque «Sí».",
                        str(record.get("nombre") or f"fila {record.row}"))


@rule("INT-03", "error", "Integrantes del Grupo Motor vienen de organizaciones comprometidas")
def from_committed_organisations(ctx: Context) -> Iterator[Issue]:
    if not ctx.sheet("organizaciones").present:
        return
    for record in ctx.records(SHEET):
        if record.get("instancia") != GRUPO_MOTOR:
            continue
        name = record.get("nombre") or f"fila {record.row}"
        organisation = record.get("organizacion")
        found = ctx.organisations.get(normalise(organisation)) if organisation else None
        if organisation is None:
            problem = f"{name} no indica a qué organización representa"
        elif found is None:
            problem = f"la organización «{organisation}» de {name} no está en el catastro"
        elif found.get("compromiso") is not True:
            problem = (f"la organización «{organisation}» de {name} no firmó el compromiso de "
                       "participación")
        else:
            continue
        yield Issue(record.sheet, record.cell("organizacion"), problem[0].upper() + problem[1:]
                    + ".", "El Grupo Motor se forma con líderes de organizaciones que firmaron "
                           "el compromiso de participación: revise la hoja Organizaciones.",
                    str(name))
