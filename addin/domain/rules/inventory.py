"""Inventario de bienes and their traspaso to one committed community organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import compress
from typing import Any

from addin.domain.records import SheetData
from addin.domain.rules.base import Context, Issue, fmt, guide, rule
from addin.domain.text import normalise
from addin.domain.values import clean_rut
from addin.domain.wording import number

SHEET = "inventario"
ACTA = guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
             "el ejecutor deberá completar el Acta de traspaso del dominio de bienes la cual no "
             "sólo hace una descripción de los bienes adquiridos, sino también detalla su "
             "cantidad y valor, de manera que este traspaso sea lo más transparente posible")
KEEP_NOTHING = guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
                     "la normativa del FOSIS establece que ningún equipo ejecutor puede "
                     "quedarse con los bienes financiados a través del programa")


def _key(sheet: SheetData, i: int) -> str:
    """The asset of the ``i``-th record, as findings name it: its code, or its row."""
    return str(sheet.column("codigo")[i] or f"fila {sheet.rows[i]}")


# The inventory is the largest sheet of a workbook (tens of thousands of assets): its rules go
# through whole columns and look at a record only when it has something to say.


@rule("INV-01", "error", "Códigos de bien únicos", ACTA)
def unique_codes(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    codes = sheet.normalised("codigo")
    given = list(filter(None, codes))
    if len(set(given)) == len(given):
        return
    seen: dict[str, int] = {}
    for i, code in enumerate(codes):
        if not code:
            continue
        if code in seen:
            yield Issue(sheet.name, sheet.cell("codigo", i),
                        f"El código «{sheet.column('codigo')[i]}» ya se usó en la fila "
                        f"{seen[code]}.",
                        "Cada bien lleva un código distinto: corrija uno de los dos.",
                        _key(sheet, i))
        else:
            seen[code] = sheet.rows[i]


@rule("INV-02", "error", "Cantidades enteras y positivas", ACTA)
def positive_quantity(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    quantities = sheet.column("cantidad")
    for i in [i for i, q in enumerate(quantities) if q is not None and q <= 0]:
        yield Issue(sheet.name, sheet.cell("cantidad", i),
                    f"La cantidad del bien {_key(sheet, i)} es {number(quantities[i])}.",
                    "La cantidad es un número entero mayor que cero.", _key(sheet, i))


@rule("INV-03", "error", "Valores unitarios no negativos", ACTA)
def non_negative_value(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    values = sheet.column("valor_unitario")
    for i in [i for i, v in enumerate(values) if v is not None and v < 0]:
        yield Issue(sheet.name, sheet.cell("valor_unitario", i),
                    f"El valor unitario del bien {_key(sheet, i)} es negativo "
                    f"(${number(values[i])}).", "Escriba el valor de compra en pesos, 0 o más.",
                    _key(sheet, i))


@rule("INV-04", "error", "Valor total = cantidad × valor unitario", ACTA)
def total_matches(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    amounts = list(zip(sheet.column("cantidad"), sheet.column("valor_unitario"),
                       sheet.column("valor_total"), strict=True))
    # Each distinct (quantity, unit, total) once: an inventory repeats the same few.
    off = {(quantity, unit, total) for quantity, unit, total in set(amounts)
           if quantity is not None and unit is not None and total is not None
           and abs(total - quantity * unit) > 0.5}
    wrong = [(i, *amounts[i]) for i in [i for i, row in enumerate(amounts) if row in off]] \
        if off else []
    for i, quantity, unit, total in wrong:
        yield Issue(sheet.name, sheet.cell("valor_total", i),
                    f"El total del bien {_key(sheet, i)} es ${number(total)}, pero "
                    f"{number(quantity)} × ${number(unit)} = ${number(quantity * unit)}.",
                    "Use la fórmula =cantidad×valor unitario o corrija los valores.",
                    _key(sheet, i))


@rule("INV-05", "error", "Los bienes se traspasan a una sola organización comprometida, "
                         "nunca al ejecutor",
      guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
            "ningún equipo ejecutor puede quedarse con los bienes … dicha organización deberá "
            "ser una organización activa, formalizada y comprometida con el Ecomercado"))
def one_committed_recipient(ctx: Context) -> Iterator[Issue]:
    sheet = ctx.sheet(SHEET)
    recipients = sheet.column("receptora")
    named = [i for i, recipient in enumerate(recipients) if recipient]
    if not named:
        return
    normalised = sheet.normalised("receptora")
    counts = Counter(compress(normalised, recipients))
    chosen = counts.most_common(1)[0][0]
    if len(counts) > 1:
        for i in named:
            if normalised[i] != chosen:
                yield Issue(sheet.name, sheet.cell("receptora", i),
                            f"El bien {_key(sheet, i)} se traspasa a «{recipients[i]}», "
                            f"distinta de la organización receptora del resto de los bienes.",
                            "Todos los bienes van a una sola organización, elegida en sesión "
                            "liderada por el Grupo Motor.", _key(sheet, i))
    first = next(i for i in named if normalised[i] == chosen)
    name = recipients[first]
    form = ctx.data.form
    executor = normalise(form.get("ejecutor"))
    executor_rut = form.get("rut_ejecutor")
    organisation = ctx.organisations.get(chosen)
    problems = []
    if chosen == executor or (organisation is not None and executor_rut and
                              organisation.get("rut") == clean_rut(executor_rut)):
        problems.append("es el propio ejecutor, que nunca puede quedarse con los bienes")
    elif organisation is None:
        problems.append("no está en el catastro de organizaciones")
    else:
        for field, text in (("activa", "no está activa"), ("formalizada", "no está formalizada"),
                            ("compromiso", "no firmó el compromiso de participación")):
            if organisation.get(field) is not True:
                problems.append(text)
    if problems:
        yield Issue(sheet.name, sheet.cell("receptora", first),
                    f"La organización receptora «{name}» " + "; ".join(problems) + ".",
                    "Los bienes deben ir a una organización comunitaria activa, formalizada y "
                    "comprometida con el Ecomercado.", str(name))


@rule("INV-06", "error", "Todos los bienes traspasados al término de la ejecución",
      KEEP_NOTHING)
def all_transferred(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None or ctx.cutoff <= cal.execution_end:
        return
    sheet = ctx.sheet(SHEET)
    end = cal.execution_end
    days, recipients = sheet.dates("fecha_traspaso"), sheet.column("receptora")
    pairs = list(zip(days, recipients, strict=True))
    untransferred = {(day, recipient) for day, recipient in set(pairs)
                     if day is None or not recipient or day > end}
    for i in [i for i, pair in enumerate(pairs) if pair in untransferred] \
            if untransferred else ():
        day = days[i]
        if day is None or not recipients[i]:
            yield Issue(sheet.name, sheet.cell("fecha_traspaso" if day is None
                                               else "receptora", i),
                        f"El bien {_key(sheet, i)} no figura traspasado y la ejecución terminó "
                        f"el {fmt(end)}.",
                        "Registre la organización receptora, la fecha y el N° de acta de "
                        "traspaso: el ejecutor no puede quedarse con bienes del programa.",
                        _key(sheet, i))
        else:
            yield Issue(sheet.name, sheet.cell("fecha_traspaso", i),
                        f"El bien {_key(sheet, i)} se traspasó el {fmt(day)}, después del "
                        f"término de la ejecución ({fmt(end)}).",
                        "El traspaso se hace a más tardar el último mes de ejecución.",
                        _key(sheet, i))


@rule("INV-07", "error", "Cada traspaso tiene su acta, y cada acta una receptora y una fecha",
      ACTA)
def transfer_records(ctx: Context) -> Iterator[Issue]:
    """A transfer is its date or its acta; a recipient typed ahead of time is only a plan."""
    sheet = ctx.sheet(SHEET)
    days, actas_, recipients = (sheet.dates("fecha_traspaso"), sheet.column("acta"),
                                sheet.column("receptora"))
    normalised = sheet.normalised("receptora")
    if _consistent(set(zip(days, actas_, recipients, normalised, strict=True))):
        return
    actas: dict[str, tuple[str, object, int]] = {}
    for i, (day, acta, recipient) in enumerate(zip(days, actas_, recipients, strict=True)):
        if day is None and not acta:
            continue  # not transferred yet (a planned recipient is not a transfer)
        if not acta:
            yield Issue(sheet.name, sheet.cell("acta", i),
                        f"El bien {_key(sheet, i)} figura traspasado el {fmt(day)} sin N° de "
                        "acta de traspaso.", "Escriba el N° del acta de traspaso que lo describe.",
                        _key(sheet, i))
            continue
        if not recipient or not day:
            missing = [name for name, value in (("la organización receptora", recipient),
                                                ("la fecha de traspaso", day)) if not value]
            yield Issue(sheet.name, sheet.cell("receptora" if not recipient
                                               else "fecha_traspaso", i),
                        f"El bien {_key(sheet, i)} tiene el acta de traspaso N° {acta} pero le "
                        f"falta {' y '.join(missing)}.",
                        "Complete la organización receptora y la fecha del acta.",
                        _key(sheet, i))
            continue
        facts = (normalised[i], day)
        known = actas.get(acta)
        if known is None:
            actas[acta] = (*facts, sheet.rows[i])  # type: ignore[assignment]
        elif known[:2] != facts:
            yield Issue(sheet.name, sheet.cell("acta", i),
                        f"El acta N° {acta} tiene otra organización o fecha que en la fila "
                        f"{known[2]}.",
                        "Un acta de traspaso tiene una sola receptora y una sola fecha.",
                        _key(sheet, i))


def _consistent(transfers: set[tuple[Any, Any, Any, str]]) -> bool:
    """Is there nothing for INV-07 to say about these distinct (date, acta, recipient, its
    normalised form)?  Every transfer complete, each acta with one recipient and one date: a
    large inventory handed over in a few actas is judged without going row by row."""
    facts: dict[Any, tuple[str, Any]] = {}
    for day, acta, recipient, normalised in transfers:
        if day is None and not acta:
            continue
        if not acta or not recipient or not day:
            return False
        if facts.setdefault(acta, (normalised, day)) != (normalised, day):
            return False
    return True


#: The session that chooses the receiving organisation (a session type key).
CHOOSING = "eleccion_receptora"


@rule("INV-08", "error", "El acta de traspaso es posterior a la sesión que eligió a la "
                         "receptora",
      guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
            "Para definir a la organización representante de la comunidad organizada, quién "
            "debe asumir la administración de los bienes, se recomienda realizar una sesión de "
            "trabajo liderada por el Grupo Motor"))
def transfer_after_choice(ctx: Context) -> Iterator[Issue]:
    """The choosing session is only recommended (SES-04); when it is held, it comes first."""
    if not any(kind.key == CHOOSING for kind in ctx.definition.session_types):
        return
    chosen = [day for r in ctx.sessions_of(CHOOSING) if (day := r.date("fecha")) is not None]
    sheet = ctx.sheet(SHEET)
    days = sheet.dates("fecha_traspaso")
    transfers = [day for day in days if day is not None]
    if not chosen or not transfers:
        return
    earliest = min(transfers)
    first = days.index(earliest)  # the first record of the earliest transfer
    if min(chosen) > earliest:
        yield Issue(sheet.name, sheet.cell("fecha_traspaso", first),
                    f"El traspaso del {fmt(earliest)} (acta "
                    f"{sheet.column('acta')[first] or 'sin número'}) es anterior a la sesión "
                    f"que eligió a la organización receptora ({fmt(min(chosen))}).",
                    "La organización receptora se elige antes de firmar el acta de traspaso: "
                    "revise la fecha del traspaso o la de la sesión de elección.",
                    _key(sheet, first))
