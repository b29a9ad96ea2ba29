"""Grupo Motor and Consejo Local members."""

from __future__ import annotations

from collections.abc import Iterator

from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.text import normalise
from addin.domain.wording import plural

SHEET = "integrantes"
GRUPO_MOTOR, CONSEJO_LOCAL = "Grupo Motor", "Consejo Local"
#: «Representa a» values of members who take part as persons, not for an organisation: the
#: guide allows «líderes y lideresas naturales reconocidos por la comunidad» and «actores
#: individuales del territorio».  (The Integrantes dropdown offers them: layouts/ecomercado.py.)
INDIVIDUALS = ("Líder/lideresa natural", "Actor individual del territorio")
WHO_MAY_JOIN = guide(
    "§4, Etapa 2, objetivo 1 (Grupo Motor)",
    "este grupo deberá estar conformado por: dirigentes/as de organizaciones comunitarias, "
    "dirigentes/as de organizaciones sociales y/o líderes y lideresas naturales reconocidos "
    "por la comunidad y que declararon interés de participar en el Ecomercado")


def _active(ctx: Context, body: str) -> list[Record]:
    return [r for r in ctx.records(SHEET) if r.get("instancia") == body
            and not (r.date("fecha_retiro") and r.date("fecha_retiro") <= ctx.cutoff)]


def _name(record: Record) -> str:
    return str(record.get("nombre") or f"fila {record.row}")


@rule("INT-01", "error", "Grupo Motor de al menos 5 integrantes, salvo justificación",
      guide("§4, Etapa 2, objetivo 1 (Grupo Motor)",
            "no debiese ser menor a unas 5 personas (salvo excepciones). La composición, "
            "extensión y representatividad requerida para el Grupo Motor debe ser acordada "
            "con el FOSIS regional"))
def grupo_motor_size(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    if not sheet.present or not ctx.is_due("conformacion_grupo_motor"):
        return
    members = _active(ctx, GRUPO_MOTOR)
    minimum = ctx.definition.grupo_motor_min_members
    form = ctx.data.form
    if len(members) < minimum and not form.get("justificacion_gm"):
        # The link lands on the justification field of Programa (the other fix is adding
        # members, below the last one).
        where = (form.name, form.cell("justificacion_gm")) if form.cell("justificacion_gm") \
            else (sheet.name, ctx.append_cell(SHEET, "nombre"))
        count = plural(len(members), "integrante activo", "integrantes activos")
        yield Issue(*where, f"El Grupo Motor tiene {count} al {fmt(ctx.cutoff)}; el mínimo "
                            f"es {minimum}.",
                    "Incorpore integrantes en la hoja Integrantes, o escriba la justificación "
                    "acordada con el FOSIS regional en la hoja Programa.", GRUPO_MOTOR)


@rule("INT-02", "error", "Cada integrante firmó su declaración de compromiso",
      guide("§4, Etapa 2, objetivos 1 y 2",
            "Declaración de compromiso de participación de las personas integrantes del Grupo "
            "Motor"))
def signed_commitment(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        if record.get("compromiso") is False:
            yield Issue(record.sheet, record.cell("compromiso"),
                        f"{record.get('nombre') or 'Este integrante'} ({record.get('instancia')}"
                        ") no ha firmado la declaración de compromiso.",
                        "Obtenga la declaración firmada y marque «Sí».", _name(record))


@rule("INT-03", "error", "La organización de cada integrante del Grupo Motor declaró interés "
                         "o compromiso", WHO_MAY_JOIN)
def from_interested_organisations(ctx: Context) -> Iterator[Issue]:
    if not ctx.sheet("organizaciones").present:
        return
    for record in ctx.records(SHEET):
        organisation = record.get("organizacion")
        if (record.get("instancia") != GRUPO_MOTOR or organisation is None
                or record.get("representa") in INDIVIDUALS):
            continue  # a líder natural or an actor individual needs no organisation
        found = ctx.organisations.get(normalise(organisation))
        if found is None:
            problem = (f"La organización «{organisation}» de {_name(record)} no está en el "
                       "catastro, así que no consta que haya declarado interés en participar")
        elif found.get("ficha_interes") is not True and found.get("compromiso") is not True:
            problem = (f"La organización «{organisation}» de {_name(record)} no firmó la ficha "
                       "de interés ni el compromiso de participación")
        else:
            continue
        yield Issue(record.sheet, record.cell("organizacion"), problem + ".",
                    "El Grupo Motor se forma con dirigentes de organizaciones que declararon "
                    "interés, o con líderes naturales: registre la ficha de interés de la "
                    "organización en la hoja Organizaciones, o marque en «Representa a» que "
                    f"participa como {INDIVIDUALS[0].lower()}.", _name(record))


@rule("INT-04", "warning", "Integrante del Grupo Motor sin organización: ¿líder natural?",
      WHO_MAY_JOIN)
def individual_members_marked(ctx: Context) -> Iterator[Issue]:
    if not ctx.has(SHEET, "organizacion"):
        return
    for record in ctx.records(SHEET):
        if (record.get("instancia") == GRUPO_MOTOR and record.get("organizacion") is None
                and record.get("representa") not in INDIVIDUALS):
            yield Issue(record.sheet, record.cell("representa"),
                        f"{_name(record)} no indica organización ni que participe como "
                        f"{INDIVIDUALS[0].lower()} o {INDIVIDUALS[1].lower()}.",
                        "Escriba la organización que representa, o elija «"
                        f"{INDIVIDUALS[0]}» o «{INDIVIDUALS[1]}» en «Representa a».",
                        _name(record))


@rule("INT-05", "warning", "El Consejo Local tiene un representante del Grupo Motor",
      guide("§4, Etapa 2, objetivo 2 (Consejo Local)",
            "El Consejo Local corresponde a una instancia de participación que incorpora, de "
            "ser posible, la participación de representantes del ecosistema de economía local "
            "(Ej. dirigentes de sindicatos de ferias libres), representantes de la comunidad "
            "organizada (Grupo Motor)"))
def grupo_motor_in_consejo_local(ctx: Context) -> Iterator[Issue]:
    council = _active(ctx, CONSEJO_LOCAL)
    if not council:
        return
    group = {normalise(r.get("nombre")) for r in _active(ctx, GRUPO_MOTOR)}
    if any(r.get("representa") == GRUPO_MOTOR or normalise(r.get("nombre")) in group
           for r in council):
        return
    first = council[0]
    yield Issue(first.sheet, first.cell("representa"),
                "Ningún integrante activo del Consejo Local representa al Grupo Motor.",
                "De ser posible, incorpore a un representante del Grupo Motor (una fila con "
                "«Representa a: Grupo Motor»).", CONSEJO_LOCAL)
