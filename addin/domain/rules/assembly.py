"""Rules of a one-day assembly: an agenda whose times exist, fit the announced day and follow
each other; groups that fit the reach, one leader per subgroup; each mesa's work plan complete.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import date, time

from addin.domain.programme import Assembly
from addin.domain.records import Record
from addin.domain.rules.base import Context, Issue, rule
from addin.domain.text import normalise
from addin.domain.times import clock, minutes
from addin.domain.wording import plural

SETS = ("asamblea",)
DOC = "Asambleas regionales de economía solidaria, popular y comunitaria — PIT Arauca"
BREAK, REGISTRATION = "Receso", "Registro"


def _assembly(ctx: Context) -> Assembly | None:
    return ctx.definition.assembly


def _day(ctx: Context) -> tuple[time, time] | None:
    """The announced day: Programa's hours, else the programme's."""
    assembly = _assembly(ctx)
    start, end = ctx.data.form.get("hora_inicio"), ctx.data.form.get("hora_termino")
    if not isinstance(start, time) and assembly:
        start = assembly.day_start
    if not isinstance(end, time) and assembly:
        end = assembly.day_end
    return (start, end) if isinstance(start, time) and isinstance(end, time) else None


def _slot(row: Record) -> tuple[time, time] | None:
    start, end = row.get("inicio"), row.get("termino")
    return (start, end) if isinstance(start, time) and isinstance(end, time) else None


def _valid_slots(ctx: Context) -> list[tuple[Record, int, int]]:
    """Agenda rows whose times exist and run forward, in time order (minutes of the day)."""
    slots = []
    for row in ctx.records("agenda"):
        times = _slot(row)
        if times and minutes(times[1]) > minutes(times[0]):
            slots.append((row, minutes(times[0]), minutes(times[1])))
    return sorted(slots, key=lambda s: (s[1], s[2], s[0].row))


def _name(row: Record) -> str:
    text = str(row.get("momento") or f"fila {row.row}")
    return text if len(text) <= 60 else text[:59] + "…"


@rule("ASM-01", "error", "Cada momento termina después de empezar, a una hora que existe",
      f"{DOC}, agenda, Momento 1: «11:30 am – 12:15 am» (un horario así no existe en la "
      "jornada)", SETS)
def slot_runs_forward(ctx: Context) -> Iterator[Issue]:
    for row in ctx.records("agenda"):
        times = _slot(row)
        if times is None:
            continue
        start, end = times
        if minutes(end) > minutes(start):
            continue
        hint = ""
        if end.hour == 0:
            hint = (f" «{clock(end).replace('0:', '12:', 1)} am» es pasada la medianoche: "
                    f"¿quiso decir {clock(end).replace('0:', '12:', 1)} pm (mediodía)?")
        yield Issue(row.sheet, row.cell("termino"),
                    f"«{_name(row)}» termina a las {clock(end)}, antes de empezar "
                    f"({clock(start)}).{hint}",
                    "Corrija la hora de término (en formato de 24 horas, p. ej. 12:15 para el "
                    "mediodía, o con am/pm bien puesto).", _name(row))


@rule("ASM-02", "error", "Los momentos caen dentro de la jornada anunciada",
      f"{DOC}: «Horario: 8:00 am – 4:00 pm»", SETS)
def inside_the_day(ctx: Context) -> Iterator[Issue]:
    day, assembly = _day(ctx), _assembly(ctx)
    if day is None:
        return
    first, last = minutes(day[0]), minutes(day[1])
    lead = assembly.registration_lead_minutes if assembly else 0
    announced = f"{clock(day[0])} a {clock(day[1])}"
    for row, start, end in _valid_slots(ctx):
        earliest = first - (lead if row.get("tipo") == REGISTRATION else 0)
        if start < earliest:
            yield Issue(row.sheet, row.cell("inicio"),
                        f"«{_name(row)}» empieza a las {clock(row.get('inicio'))}, antes del "
                        f"inicio de la jornada anunciada ({announced}).",
                        "Mueva el momento dentro de la jornada, o corrija el horario anunciado "
                        "en la hoja Programa.", _name(row))
        if end > last:
            yield Issue(row.sheet, row.cell("termino"),
                        f"«{_name(row)}» termina a las {clock(row.get('termino'))}, después del "
                        f"término de la jornada anunciada ({announced}).",
                        "Acorte o adelante los momentos para terminar a la hora anunciada, o "
                        "anuncie la jornada hasta más tarde (hoja Programa).", _name(row))


@rule("ASM-03", "error", "Los momentos no se superponen",
      f"{DOC}: la agenda es una sucesión de momentos, cada uno con su horario", SETS)
def no_overlaps(ctx: Context) -> Iterator[Issue]:
    slots = _valid_slots(ctx)
    for (before, _, end), (after, start, _) in itertools.pairwise(slots):
        if start < end:
            yield Issue(after.sheet, after.cell("inicio"),
                        f"«{_name(after)}» empieza a las {clock(after.get('inicio'))}, antes de "
                        f"que termine «{_name(before)}» ({clock(before.get('termino'))}).",
                        "Ajuste las horas para que un momento empiece cuando termina el "
                        "anterior.", _name(after))


@rule("ASM-04", "warning", "Sin huecos en la agenda, salvo recesos",
      f"{DOC}: los recesos y el almuerzo tienen su propia fila en la agenda («Receso 11:00 am "
      "– 11:30 am»)", SETS)
def no_gaps(ctx: Context) -> Iterator[Issue]:
    assembly = _assembly(ctx)
    tolerance = assembly.gap_tolerance_minutes if assembly else 1
    slots = _valid_slots(ctx)
    # A slot whose end is impossible (ASM-01) or unreadable leaves a hole that is not
    # another mistake.
    impossible = [minutes(start) for r in ctx.records("agenda")
                  if isinstance(start := r.get("inicio"), time)
                  and not (isinstance(end := r.get("termino"), time)
                           and minutes(end) > minutes(start))]
    for (before, _, end), (after, start, _) in itertools.pairwise(slots):
        if any(end <= s < start for s in impossible):
            continue
        if start - end > tolerance:
            yield Issue(after.sheet, after.cell("inicio"),
                        f"Entre «{_name(before)}» (termina {clock(before.get('termino'))}) y "
                        f"«{_name(after)}» (empieza {clock(after.get('inicio'))}) quedan "
                        f"{plural(start - end, 'minuto')} sin momento.",
                        "Agregue una fila de tipo «Receso» para ese tiempo, o junte los "
                        "horarios.", _name(after))


def _people(ctx: Context) -> list[Record]:
    return [r for r in ctx.records("inscripcion") if r.get("nombre")]


@rule("ASM-05", "error", "Inscritos, grupos y subgrupos caben en el alcance",
      f"{DOC}: «Alcance: 500 personas» … «5 grupos de 100 personas» … «subgrupos de 20 "
      "personas»", SETS)
def capacity(ctx: Context) -> Iterator[Issue]:
    assembly = _assembly(ctx)
    if assembly is None:
        return
    form = ctx.data.form
    reach = form.get("alcance") if isinstance(form.get("alcance"), int) else assembly.reach
    room = assembly.groups * assembly.group_size
    if isinstance(form.get("alcance"), int) and reach > room:
        yield Issue(form.name, form.cell("alcance"),
                    f"El alcance ({reach} personas) es mayor que lo que reciben "
                    f"{assembly.groups} grupos de {assembly.group_size} ({room}).",
                    "Ajuste el alcance o el número y tamaño de los grupos del programa.")
    people = _people(ctx)
    if len(people) > reach:
        extra = people[reach]
        yield Issue(extra.sheet, extra.cell("nombre"),
                    f"Hay {len(people)} personas inscritas y el alcance es {reach}: desde esta "
                    "fila se supera.", "Cierre la inscripción o amplíe el alcance.",
                    str(extra.get("nombre")))
    sizes = (("grupo", assembly.group_size, "grupo"), ("subgrupo", assembly.subgroup_size,
                                                        "subgrupo"))
    for column, limit, word in sizes:
        members: dict[str, list[Record]] = {}
        for person in people:
            value = person.get(column)
            if value not in (None, ""):
                members.setdefault(normalise(value), []).append(person)
        for who in members.values():
            if len(who) > limit:
                yield Issue(who[limit].sheet, who[limit].cell(column),
                            f"El {word} {who[0].get(column)} tiene {len(who)} personas; el "
                            f"máximo es {limit}.",
                            "Vuelva a agrupar con `minga agrupar`, o mueva personas a otro "
                            f"{word}.", str(who[limit].get("nombre")))
        if column == "grupo":
            for who in members.values():
                number = who[0].get("grupo")
                if isinstance(number, int) and not 1 <= number <= assembly.groups:
                    yield Issue(who[0].sheet, who[0].cell("grupo"),
                                f"No existe el grupo {number}: son {assembly.groups}.",
                                f"Use un grupo del 1 al {assembly.groups}.",
                                str(who[0].get("nombre")))


@rule("ASM-06", "error", "Cada subgrupo tiene un líder, y uno solo",
      f"{DOC}: «subgrupos de 20 personas escogiendo un representante en cada grupo, es decir "
      "se deberá seleccionar a una persona que pueda liderar la mesa»", SETS)
def one_leader(ctx: Context) -> Iterator[Issue]:
    members: dict[str, list[Record]] = {}
    for person in _people(ctx):
        if person.get("subgrupo") not in (None, ""):
            members.setdefault(normalise(person.get("subgrupo")), []).append(person)
    for who in members.values():
        leaders = [p for p in who if p.get("lider") is True]
        name = who[0].get("subgrupo")
        if not leaders:
            yield Issue(who[0].sheet, who[0].cell("lider"),
                        f"El subgrupo {name} ({plural(len(who), 'persona')}) no tiene líder.",
                        "Marque «Sí» en «Líder del subgrupo» a una persona (mejor quien conoce "
                        "el PIT).", str(name))
        for extra in leaders[1:]:
            yield Issue(extra.sheet, extra.cell("lider"),
                        f"El subgrupo {name} tiene {len(leaders)} líderes; debe tener uno.",
                        "Deje «Sí» a una sola persona del subgrupo.", str(extra.get("nombre")))


PLAN_FIELDS = (("necesidad", "la necesidad"), ("solucion", "la solución cooperativa"),
               ("quien", "¿quién?"), ("como", "¿cómo?"), ("cuando", "¿cuándo?"))


def _held(ctx: Context) -> bool:
    """Has the assembly taken place by the cut-off (so every mesa has its plan)?"""
    day = ctx.data.form.get("fecha")
    return isinstance(day, date) and day <= ctx.cutoff


@rule("ASM-07", "error", "Cada mesa tiene su necesidad, su solución y ¿quién? ¿cómo? "
      "¿cuándo? completos",
      f"{DOC}, Momento 4: «Durante el desarrollo de las mesas se deberán identificar "
      "Necesidades entorno al eje, alternativa de solución y propuesta de trabajo concreta» "
      "… «respondiendo a las preguntas ¿Quién? ¿cómo? ¿Cuándo?»", SETS)
def mesa_plans(ctx: Context) -> Iterator[Issue]:
    assembly = _assembly(ctx)
    rows = ctx.records("plan_mesas")
    held = _held(ctx)
    for row in rows:
        written = [k for k, _ in PLAN_FIELDS if row.get(k)]
        if not written:
            if held:  # said once for the row, not once per empty field
                yield Issue(row.sheet, row.cell("necesidad"),
                            f"«{row.get('mesa') or f'fila {row.row}'}» no tiene necesidad, "
                            "solución ni plan.", "Complete la necesidad, la solución "
                            "cooperativa y ¿quién? ¿cómo? ¿cuándo?",
                            str(row.get("mesa") or f"fila {row.row}"))
            continue  # a mesa not worked yet
        for key, label in PLAN_FIELDS:
            if not row.get(key):
                yield Issue(row.sheet, row.cell(key),
                            f"Falta {label} en «{row.get('mesa') or f'fila {row.row}'}».",
                            f"Complete {label}: cada necesidad lleva su solución y su plan.",
                            str(row.get("mesa") or f"fila {row.row}"))
    if not held or assembly is None or not ctx.has("plan_mesas", "mesa"):
        return
    worked = {normalise(r.get("mesa")) for r in rows if r.get("necesidad")}
    for mesa in assembly.mesas:
        if normalise(mesa) not in worked and not any(
                normalise(r.get("mesa")) == normalise(mesa) for r in rows):
            yield Issue(ctx.sheet("plan_mesas").name, ctx.append_cell("plan_mesas", "mesa"),
                        f"«{mesa}» no tiene ninguna necesidad en el plan.",
                        "Agregue al menos una fila con su necesidad, solución y plan.", mesa)


@rule("ASM-08", "error", "Una o máximo dos necesidades por subgrupo",
      f"{DOC}, Momento 4: «cada sub-mesa recibirá una ficha de rompecabezas azul, en la que "
      "cada una identificará una necesidad o máximo 2 en torno a la temática»", SETS)
def needs_per_subgroup(ctx: Context) -> Iterator[Issue]:
    assembly = _assembly(ctx)
    limit = assembly.max_needs_per_subgroup if assembly else 2
    seen: Counter[tuple[str, str]] = Counter()
    for row in ctx.records("plan_mesas"):
        sub = row.get("subgrupo")
        if not row.get("necesidad") or sub in (None, ""):
            continue
        key = (normalise(row.get("mesa")), normalise(sub))
        seen[key] += 1
        if seen[key] == limit + 1:
            yield Issue(row.sheet, row.cell("necesidad"),
                        f"El subgrupo {sub} ya tiene {limit} necesidades; ésta es la "
                        f"{limit + 1}.ª.", f"Deje una o máximo {limit} necesidades por subgrupo.",
                        str(sub))
