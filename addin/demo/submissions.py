"""Many submissions of many programmes, for the supervision benchmark, tests and screenshot:
demo workbooks across regions, one per month each, every one with its own mix of planted
defects (fewer month after month, as organisations fix things)."""

from __future__ import annotations

import copy
import random
from datetime import date
from pathlib import Path
from typing import Any

from addin.demo.workbook import build_demo, demo_data
from addin.domain.programme import load_programme

COMUNAS = [  # (región, comuna): a national programme's spread
    ("Biobío", "Coronel"), ("Biobío", "Lota"), ("Biobío", "Tomé"), ("Biobío", "Talcahuano"),
    ("Ñuble", "Chillán"), ("Ñuble", "San Carlos"), ("Maule", "Talca"), ("Maule", "Linares"),
    ("La Araucanía", "Temuco"), ("La Araucanía", "Angol"), ("Los Lagos", "Osorno"),
    ("Los Lagos", "Castro"), ("Valparaíso", "Quilpué"), ("Valparaíso", "San Antonio"),
    ("Coquimbo", "Ovalle"), ("Metropolitana de Santiago", "La Pintana"),
    ("Metropolitana de Santiago", "Renca"), ("Atacama", "Vallenar"),
    ("Antofagasta", "Calama"), ("Los Ríos", "Valdivia"),
]
#: Cut-offs of the monthly submissions (the demo convenio runs from 03-03-2025).
MONTHS = [date(2025, m, 28) for m in range(6, 13)] + [date(2026, m, 28) for m in range(1, 6)]


def _break(data: dict[str, list[dict[str, Any]]], defect: str) -> None:
    """Plant one defect in the records (each a rule the validator must catch)."""
    if defect == "informe":
        data["informes"][-1].update(estado="Entregado", fecha_aprobacion=None,
                                    acta_supervision=None)
    elif defect == "compromiso":
        data["integrantes"][3]["compromiso"] = "No"
    elif defect == "total":
        data["inventario"][5]["valor_total"] += 1000
    elif defect == "codigo":
        data["inventario"][7]["codigo"] = data["inventario"][6]["codigo"]
    elif defect == "alianza":
        row = next(r for r in data["seguimiento_plan_trabajo"] if r.get("alianza") == "Sí")
        row["con_quien"] = None
    elif defect == "verificador":
        data["verificadores"][4].update(estado="Pendiente", fecha=None, archivo=None)
    elif defect == "rut":
        org = data["organizaciones"][2]
        org["rut"] = org["rut"][:-1] + ("0" if org["rut"][-1] != "0" else "1")
    elif defect == "sesion":
        data["sesiones"][6]["lista_asistencia"] = "No"
        data["sesiones"][6]["registro_audiovisual"] = None


DEFECTS = ("informe", "compromiso", "total", "codigo", "alianza", "verificador", "rut",
           "sesion")


def make_submissions(folder: Path, count: int, months: int = len(MONTHS), seed: int = 2026
                     ) -> list[Path]:
    """``count`` workbooks in ``folder/<mes>/<comuna>.xlsx``: programmes × months, each with a
    random mix of defects that shrinks month after month (organisations fix things)."""
    rng = random.Random(seed)
    definition = load_programme("ecomercado-15m")
    base = demo_data(definition, plant=False)
    months = max(1, min(months, len(MONTHS)))
    programmes = max(1, -(-count // months))
    paths = []
    for n in range(count):
        programme, month = n % programmes, n // programmes
        region, comuna = COMUNAS[programme % len(COMUNAS)]
        ejecutor = f"Ejecutor {programme // len(COMUNAS) + 1} de {comuna}"
        cutoff = MONTHS[len(MONTHS) - months + month % months]
        path = folder / f"{cutoff:%Y-%m}" / f"{comuna}-{programme:03d}.xlsx".replace(" ", "_")
        paths.append(path)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        data = copy.deepcopy(base)
        left = max(0, 4 - (3 * month) // months)
        for defect in rng.sample(DEFECTS, k=rng.randint(0, left)):
            _break(data, defect)
        build_demo(path, plant=False, data=data,
                   form={"region": region, "comuna": comuna, "ejecutor": ejecutor,
                         "fecha_corte": cutoff})
    return paths


# --- the other kinds of programme ---------------------------------------------------------
#
# One submission per programme and cut-off, built from the layouts like any workbook minga
# makes.  Figures are the seeds' own where they give them (RULES.md §2–5); identification
# fields name each programme's executing organisation and territory as its seed does.

LV, COMPARTE, PIT, CONECTA = ("la-victoria-el-agustino", "red-comparte",
                              "asamblea-pit-arauca", "conecta-peru")
OTHER_PROGRAMMES = (LV, COMPARTE, PIT, CONECTA)
#: The defect each kind can carry (the rule that must catch it): the source's own
#: inconsistency where it has one.
OTHER_DEFECTS = {
    LV: "IND-01, IND-03: more women than people in a district, and than the stated women",
    COMPARTE: "IND-04: the seed's 72 + 62 + 39 + 32 = 205, stated as 208",
    PIT: "ASM-01, ASM-02: the seed's «11:30 am – 12:15 am» slot and plenary past 16:00",
    CONECTA: "FON: a withdrawal for a purpose that is not water or sanitation",
}


def _lv(cutoff: date, defect: bool, month: int) -> tuple[dict[str, Any], dict[str, Any]]:
    definition = load_programme(LV)
    done = {"1": (20 + 10 * month, 9 + 4 * month), "2": (40 + 10 * month, 25 + 6 * month),
            "3": (5 + month, None), "4": (2 + month, None)}
    indicators, progress = [], []
    for i in definition.indicators:
        total, women = done[i.code]
        indicators.append({"codigo": i.code, "indicador": i.name, "unidad": i.unit,
                           "meta": i.target, "meta_mujeres_pct": i.women_share,
                           "acumulado": "Sí" if i.cumulative else "No", "logrado": total,
                           "logrado_mujeres": women})
        half = total // 2
        for territory, part in (("La Victoria", half), ("El Agustino", total - half)):
            w = None if women is None else (women // 2 if territory == "La Victoria"
                                            else women - women // 2)
            progress.append({"codigo": i.code, "periodo": "Semestre 1",
                             "territorio": territory, "total": part, "mujeres": w,
                             "hombres": None if w is None else part - w})
    if defect:  # more women in a district than people
        progress[0]["mujeres"] = progress[0]["total"] + 3
        progress[0]["hombres"] = None
    form = {"proyecto": definition.name, "financiador": "Unión Europea",
            "ejecutor": "ASPEm, ADEC ATC, SNI y municipalidades de La Victoria y El Agustino",
            "inicio": date(2025, 1, 1), "region": "Lima Metropolitana",
            "territorio": "La Victoria y El Agustino", "fecha_corte": cutoff}
    return {"indicadores": indicators, "avance": progress}, form


COMPARTE_FIGURES = {"1": (121, None), "2": (208, None), "3": (12, None), "4": (160_253, None),
                    "5": (422, None), "6": (56_000, 30_800)}


def _comparte(cutoff: date, defect: bool, month: int) -> tuple[dict[str, Any], dict[str, Any]]:
    definition = load_programme(COMPARTE)
    others = 32 if defect else 35  # the seed's 32 leaves the 208 resources short by 3
    parts = [("1", "Personas", 97), ("1", "Organizaciones", 24),
             ("2", "Artículos/reflexiones", 72), ("2", "Acciones", 62), ("2", "Eventos", 39),
             ("2", "Informaciones varias", others)]
    rows = [{"codigo": i.code, "indicador": i.name, "unidad": i.unit,
             "meta_mujeres_pct": i.women_share, "logrado": COMPARTE_FIGURES[i.code][0]
             + (month if i.code == "4" else 0), "logrado_mujeres": COMPARTE_FIGURES[i.code][1]}
            for i in definition.indicators]
    form = {"proyecto": "Comunidad digital de la Red COMPARTE",
            "ejecutor": "Alboan y la Red COMPARTE", "region": "América Latina",
            "territorio": "11 países de América Latina", "fecha_corte": cutoff}
    return {"indicadores": rows, "componentes": [
        {"codigo": c, "componente": n, "valor": v} for c, n, v in parts]}, form


#: Seed 002's agenda as written: the «12:15 am» and the plenary to 4:30 pm are its mistakes.
PIT_AGENDA = [
    ("Inscripción y registro", "Registro", "7:30 am", "7:59 am"),
    ("Instalación", "Actividad", "8:00 am", "8:30 am"),
    ("Espacio Min. Trabajo", "Actividad", "8:30 am", "11:00 am"),
    ("Receso", "Receso", "11:00 am", "11:30 am"),
    ("Momento 1 Diagnóstico socioeconómico de la región", "Actividad", "11:30 am", "12:15 am"),
    ("Almuerzo", "Receso", "12:15", "1:15 pm"),
    ("Momento 2 Balance de gestión y proyecto de impacto territorial", "Actividad",
     "1:15 pm", "2:15 pm"),
    ("Momento 3 Diálogos entre las experiencias del PIT", "Actividad", "2:15 pm", "2:45 pm"),
    ("Momento 4 Voces y apuestas de la economía popular, solidaria y comunitaria",
     "Actividad", "2:45 pm", "3:45 pm"),
    ("Receso de cierre", "Receso", "3:45 pm", "4:00 pm"),
    ("Momento 5 Plenaria y aprobación de agenda", "Actividad", "4:00 pm", "4:30 pm"),
]


def _pit(cutoff: date, defect: bool, month: int) -> tuple[dict[str, Any], dict[str, Any]]:
    definition = load_programme(PIT)
    slots = list(PIT_AGENDA)
    if not defect:  # the two mistakes corrected
        slots[4] = (*slots[4][:3], "12:15 pm")
        slots[9] = ("Receso de cierre", "Receso", "3:45 pm", "3:50 pm")
        slots[10] = (slots[10][0], "Actividad", "3:50 pm", "4:00 pm")
    agenda = [{"n": i, "momento": m, "tipo": t, "inicio": a, "termino": b}
              for i, (m, t, a, b) in enumerate(slots, start=1)]
    towns = ("Arauca", "Saravena", "Tame", "Arauquita", "Fortul")
    people = [{"n": i + 1, "nombre": f"Persona inscrita {i + 1}",
               "documento": f"{1_100_000 + i}", "territorio": towns[i % 5],
               "tipo_organizacion": "Economía popular" if i % 2 else "Economía solidaria"}
              for i in range(40 + 20 * month)]
    mesas = definition.assembly.mesas if definition.assembly else ()
    plan = [{"mesa": m, "subgrupo": f"{i}.1", "necesidad": "Crédito sin garantías",
             "solucion": "Fondo rotatorio entre asociaciones", "quien": "Cooperativas",
             "como": "Aportes mensuales", "cuando": "2024–2026", "vocero": "Vocería de la mesa"}
            for i, m in enumerate(mesas, start=1)]
    form = {"nombre": definition.name, "convenio": "Convenio interadministrativo N° 02 de 2023",
            "fecha": date(2023, 11, 18), "lugar": "Arauca", "region": "Arauca",
            "ejecutor": "UNAD", "fecha_corte": cutoff}
    return {"agenda": agenda, "inscripcion": people, "plan_mesas": plan}, form


def _conecta(cutoff: date, defect: bool, month: int) -> tuple[dict[str, Any], dict[str, Any]]:
    definition = load_programme(CONECTA)
    fund = definition.savings_fund
    assert fund is not None
    churia, chalco = fund.associations[:2]
    water = fund.purposes[0]
    moves = [(date(2022, 10, 5), churia, 1500, None, None),
             (date(2022, 11, 5), chalco, 1200, None, None),
             (date(2023, 4, 10), churia, None, 2000, "Fiesta patronal" if defect else water),
             (date(2023, 5, 5), chalco, 800 + 100 * month, None, None)]
    ledger = [{"fecha": d, "asociacion": a, "aporte": c, "retiro": w, "proposito": p}
              for d, a, c, w, p in moves]
    form = {"proyecto": definition.name, "ejecutor": "Sistema B Perú (Proyecto Conecta)",
            "comuna": "San José de Churia y Chalco", "region": "Ayacucho",
            "inicio": date(2022, 6, 1), "fecha_corte": cutoff}
    return {"fondo": ledger}, form


OTHER_CUTOFFS = {LV: date(2025, 12, 31), COMPARTE: date(2025, 12, 31),
                 PIT: date(2023, 11, 30), CONECTA: date(2023, 6, 1)}
_BUILDERS = {LV: _lv, COMPARTE: _comparte, PIT: _pit, CONECTA: _conecta}


def build_programme(path: Path, programme: str, data: dict[str, Any],
                    form: dict[str, Any]) -> Path:
    """A workbook of any built-in programme, as `minga nuevo` and `minga poblar` make it,
    with ``data`` in its sheets and ``form`` on its Programa sheet."""
    from addin.actions.build import write_workbook
    from addin.actions.populate import populate_gantt, write_form_values
    from addin.backends.openpyxl_backend import OpenpyxlBackend
    from addin.layouts.sets import form_for

    definition = load_programme(programme)
    backend = OpenpyxlBackend.create(path)
    write_workbook(backend, definition, "es", data)
    write_form_values(backend, form, form_for(definition))
    if definition.stages and isinstance(form.get("inicio"), date):
        populate_gantt(backend, definition, form["inicio"])
    backend.save()
    return path


def other_records(programme: str, month: int = 0, defect: bool = False
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The rows by sheet and the Programa fields of month ``month`` (0, 1…) of one of the
    other programmes, correct or with its defect (``OTHER_DEFECTS``); each month moves its
    figures on and its cut-off a month later."""
    return _BUILDERS[programme](_later(OTHER_CUTOFFS[programme], month), defect, month)


def other_submission(path: Path, programme: str, month: int = 0, defect: bool = False
                     ) -> Path:
    """The workbook of :func:`other_records`."""
    data, form = other_records(programme, month, defect)
    path.parent.mkdir(parents=True, exist_ok=True)
    return build_programme(path, programme, data, form)


def _later(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def make_mixed(folder: Path, ecomercados: int = 2) -> dict[str, list[Path]]:
    """A supervisor's folder holding every kind of programme: ``ecomercados`` Ecomercado
    submissions, and two months of each other programme, the first with its defect and the
    second corrected (figures moved on).  Returns the paths by programme id."""
    made: dict[str, list[Path]] = {"ecomercado-15m": make_submissions(
        folder / "ecomercados", ecomercados, months=1)}
    for programme in OTHER_PROGRAMMES:
        made[programme] = [
            other_submission(folder / programme / f"entrega-{month + 1}.xlsx", programme,
                             month, defect=month == 0) for month in range(2)]
    return made
