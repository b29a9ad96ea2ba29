"""Inventario de bienes and their traspaso to one committed community organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

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


def _key(record) -> str:
    return str(record.get("codigo") or f"fila {record.row}")


@rule("INV-01", "error", "Códigos de bien únicos", ACTA)
def unique_codes(ctx: Context) -> Iterator[Issue]:
    seen: dict[str, int] = {}
    for record in ctx.records(SHEET):
        code = normalise(record.get("codigo"))
        if not code:
            continue
        if code in seen:
            yield Issue(record.sheet, record.cell("codigo"),
                        f"El código «{record.get('codigo')}» ya se usó en la fila {seen[code]}.",
                        "Cada bien lleva un código distinto: corrija uno de los dos.",
                        _key(record))
        else:
            seen[code] = record.row


@rule("INV-02", "error", "Cantidades enteras y positivas", ACTA)
def positive_quantity(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        quantity = record.get("cantidad")
        if quantity is not None and quantity <= 0:
            yield Issue(record.sheet, record.cell("cantidad"),
                        f"La cantidad del bien {_key(record)} es {number(quantity)}.",
                        "La cantidad es un número entero mayor que cero.", _key(record))


@rule("INV-03", "error", "Valores unitarios no negativos", ACTA)
def non_negative_value(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        value = record.get("valor_unitario")
        if value is not None and value < 0:
            yield Issue(record.sheet, record.cell("valor_unitario"),
                        f"El valor unitario del bien {_key(record)} es negativo "
                        f"(${number(value)}).", "Escriba el valor de compra en pesos, 0 o más.",
                        _key(record))


@rule("INV-04", "error", "Valor total = cantidad × valor unitario", ACTA)
def total_matches(ctx: Context) -> Iterator[Issue]:
    for record in ctx.records(SHEET):
        quantity, unit, total = (record.get("cantidad"), record.get("valor_unitario"),
                                 record.get("valor_total"))
        if None in (quantity, unit, total):
            continue
        if abs(total - quantity * unit) > 0.5:
            yield Issue(record.sheet, record.cell("valor_total"),
                        f"El total del bien {_key(record)} es ${number(total)}, pero "
                        f"{number(quantity)} × ${number(unit)} = ${number(quantity * unit)}.",
                        "Use la fórmula =cantidad×valor unitario o corrija los valores.",
                        _key(record))


@rule("INV-05", "error", "Los bienes se traspasan a una sola organización comprometida, "
                         "nunca al ejecutor",
      guide("§4, Etapa 4, objetivo 3 (traspaso de bienes)",
            "ningún equipo ejecutor puede quedarse con los bienes … dicha organización deberá "
            "ser una organización activa, formalizada y comprometida con el Ecomercado"))
def one_committed_recipient(ctx: Context) -> Iterator[Issue]:
    records = [r for r in ctx.records(SHEET) if r.get("receptora")]
    if not records:
        return
    counts = Counter(normalise(r.get("receptora")) for r in records)
    chosen = counts.most_common(1)[0][0]
    for record in records:
        if normalise(record.get("receptora")) != chosen:
            yield Issue(record.sheet, record.cell("receptora"),
                        f"El bien {_key(record)} se traspasa a «{record.get('receptora')}», "
                        f"distinta de la organización receptora del resto de los bienes.",
                        "Todos los bienes van a una sola organización, elegida en sesión "
                        "liderada por el Grupo Motor.", _key(record))
    first = next(r for r in records if normalise(r.get("receptora")) == chosen)
    name = first.get("receptora")
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
        yield Issue(first.sheet, first.cell("receptora"),
                    f"La organización receptora «{name}» " + "; ".join(problems) + ".",
                    "Los bienes deben ir a una organización comunitaria activa, formalizada y "
                    "comprometida con el Ecomercado.", str(name))


@rule("INV-06", "error", "Todos los bienes traspasados al término de la ejecución",
      KEEP_NOTHING)
def all_transferred(ctx: Context) -> Iterator[Issue]:
    cal = ctx.calendar
    if cal is None or ctx.cutoff <= cal.execution_end:
        return
    for record in ctx.records(SHEET):
        day = record.date("fecha_traspaso")
        if day is None or not record.get("receptora"):
            yield Issue(record.sheet, record.cell("fecha_traspaso" if day is None
                                                  else "receptora"),
                        f"El bien {_key(record)} no figura traspasado y la ejecución terminó el "
                        f"{fmt(cal.execution_end)}.",
                        "Registre la organización receptora, la fecha y el N° de acta de "
                        "traspaso: el ejecutor no puede quedarse con bienes del programa.",
                        _key(record))
        elif day > cal.execution_end:
            yield Issue(record.sheet, record.cell("fecha_traspaso"),
                        f"El bien {_key(record)} se traspasó el {fmt(day)}, después del término "
                        f"de la ejecución ({fmt(cal.execution_end)}).",
                        "El traspaso se hace a más tardar el último mes de ejecución.",
                        _key(record))


@rule("INV-07", "error", "Cada traspaso tiene su acta, y cada acta una receptora y una fecha",
      ACTA)
def transfer_records(ctx: Context) -> Iterator[Issue]:
    """A transfer is its date or its acta; a recipient typed ahead of time is only a plan."""
    actas: dict[str, tuple[str, object, int]] = {}
    for record in ctx.records(SHEET):
        day, acta, recipient = (record.date("fecha_traspaso"), record.get("acta"),
                                record.get("receptora"))
        if day is None and not acta:
            continue  # not transferred yet (a planned recipient is not a transfer)
        if not acta:
            yield Issue(record.sheet, record.cell("acta"),
                        f"El bien {_key(record)} figura traspasado el {fmt(day)} sin N° de acta "
                        "de traspaso.", "Escriba el N° del acta de traspaso que lo describe.",
                        _key(record))
            continue
        missing = [name for name, value in (("la organización receptora", recipient),
                                            ("la fecha de traspaso", day)) if not value]
        if missing:
            yield Issue(record.sheet, record.cell("receptora" if not recipient
                                                  else "fecha_traspaso"),
                        f"El bien {_key(record)} tiene el acta de traspaso N° {acta} pero le "
                        f"falta {' y '.join(missing)}.",
                        "Complete la organización receptora y la fecha del acta.", _key(record))
            continue
        facts = (normalise(recipient), day)
        if acta not in actas:
            actas[acta] = (*facts, record.row)  # type: ignore[assignment]
        elif actas[acta][:2] != facts:
            yield Issue(record.sheet, record.cell("acta"),
                        f"El acta N° {acta} tiene otra organización o fecha que en la fila "
                        f"{actas[acta][2]}.",
                        "Un acta de traspaso tiene una sola receptora y una sola fecha.",
                        _key(record))


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
    transfers = [r for r in ctx.records(SHEET) if r.date("fecha_traspaso") is not None]
    if not chosen or not transfers:
        return
    first = min(transfers, key=lambda r: r.date("fecha_traspaso"))  # type: ignore[arg-type,return-value]
    if min(chosen) > first.date("fecha_traspaso"):  # type: ignore[operator]
        yield Issue(first.sheet, first.cell("fecha_traspaso"),
                    f"El traspaso del {fmt(first.date('fecha_traspaso'))} (acta "
                    f"{first.get('acta') or 'sin número'}) es anterior a la sesión que eligió "
                    f"a la organización receptora ({fmt(min(chosen))}).",
                    "La organización receptora se elige antes de firmar el acta de traspaso: "
                    "revise la fecha del traspaso o la de la sesión de elección.",
                    _key(first))
