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
