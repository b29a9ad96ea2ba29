"""Benchmark: validating a large programme workbook, against frictionless-py.

    python bench/validate.py            # needs the dev extra: pip install -e ".[dev]"

Builds (untimed) a workbook with 20,000 inventory rows, 5,000 seguimiento rows and 3,000
sessions, then times, each in a fresh process so that peak memory is its own:
- minga: `validate_file` — read every sheet, parse every cell, run every rule;
- frictionless: the equivalent per-column checks (types, required, unique codes, bounds,
  allowed values) on the same three sheets of the same file.
Prints seconds, peak resident memory and the ratio.  Targets: minga under 2 s and 300 MB,
and faster than frictionless.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from addin.demo import build_demo, demo_data
from addin.domain.programme import load_programme

INVENTORY, SEGUIMIENTO, SESSIONS = 20_000, 5_000, 3_000
TARGET_SECONDS, TARGET_MB = 2.0, 300


#: Defects planted, one every ``DEFECT_EVERY`` rows of each large sheet, in ``build(defects=
#: True)``: each is a value typed the way people type (text numbers and dates, a choice in
#: other case, Sí as «x») or a mistake that must become a finding at its exact cell.
DEFECT_EVERY = 31
DEFECTS: dict[str, tuple[dict[str, Any], ...]] = {
    "inventario": (
        {"codigo": "B-00001"}, {"cantidad": "tres"}, {"cantidad": -2},
        {"valor_unitario": "$1.250.000"}, {"valor_unitario": "1.250,5"},
        {"fecha_adquisicion": "31-02-2026"}, {"fecha_adquisicion": "15-03-2026"},
        {"descripcion": None}, {"categoria": "refrigeracion y FRIO"}, {"categoria": "Nada"},
        {"estado": "#REF!"}, {"codigo": " b-00003 "}, {"cantidad": 2.5},
        {"fecha_adquisicion": 45000}, {"valor_unitario": "mucho"}),
    "seguimiento_plan_trabajo": (
        {"avance": "50%"}, {"avance": 50}, {"avance": "150%"}, {"estado": "completada"},
        {"plazo_dias": "treinta"}, {"alianza": "x"}, {"alianza": "quizás"},
        {"inicio": "2025/10/06"}, {"accion": "  "}, {"estado": "Perdida"}),
    "sesiones": (
        {"fecha": "08-04-2025"}, {"asistentes": "quince"}, {"lista_asistencia": "si"},
        {"lista_asistencia": "tal vez"}, {"tipo": "Otro tipo"}, {"modalidad": None},
        {"fecha": None}, {"asistentes": "1.000"}),
}


def build(path: Path, scale: float = 1, defects: bool = False) -> None:
    """The bench workbook with ``scale`` times the rows of each large sheet (``defects``:
    with DEFECTS planted, for the findings' golden files)."""
    definition = load_programme("ecomercado-15m")
    data = demo_data(definition, plant=False)
    assets = data["inventario"]
    data["inventario"] = [dict(assets[i % len(assets)], codigo=f"B-{i + 1:05d}")
                          for i in range(int(INVENTORY * scale))]
    plan = data["seguimiento_plan_trabajo"]
    data["seguimiento_plan_trabajo"] = [dict(plan[i % len(plan)], n=i + 1)
                                        for i in range(int(SEGUIMIENTO * scale))]
    sessions = data["sesiones"]
    extra = [dict(sessions[i % len(sessions)], n=i + 1,
                  fecha=sessions[i % len(sessions)]["fecha"] + timedelta(days=i % 3))
             for i in range(int(SESSIONS * scale))]
    data["sesiones"] = extra
    if defects:
        for key, changes in DEFECTS.items():
            rows = data[key]
            for n, i in enumerate(range(DEFECT_EVERY // 2, len(rows), DEFECT_EVERY)):
                rows[i] = dict(rows[i], **changes[n % len(changes)])
    build_demo(path, plant=False, data=data)


# Peak resident memory of this process (VmHWM; unlike ru_maxrss it is not inherited from the
# parent across fork and exec).
PEAK = """
def PEAK():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

MINGA = PEAK + """
import json, sys, time
t0 = time.perf_counter()
from addin.actions.validate import validate_file
from addin.demo import CUTOFF
t1 = time.perf_counter()
result, _ = validate_file(sys.argv[1], cutoff=CUTOFF)
t2 = time.perf_counter()
peak = PEAK()
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "findings": len(result.findings),
                  "peak_mb": peak}))
"""

FRICTIONLESS = PEAK + """
import json, sys, time
t0 = time.perf_counter()
from frictionless import Resource, Schema, fields, Dialect, formats, Checklist
t1 = time.perf_counter()
import os
folder, path = os.path.split(sys.argv[1])

def sheet(name, schema):
    control = formats.ExcelControl(sheet=name)
    dialect = Dialect(header_rows=[3], controls=[control])
    resource = Resource(path, basepath=folder, format="xlsx", dialect=dialect, schema=schema)
    return resource.validate(limit_errors=10**9)

text = lambda n, required=False, unique=False: fields.StringField(
    name=n, constraints={"required": required, **({"unique": True} if unique else {})})
date = lambda n, required=False: fields.DateField(name=n, constraints={"required": required})
yes_no = lambda n: fields.StringField(name=n, constraints={"enum": ["Sí", "No"]})
inventory = Schema(fields=[
    text("Código", True, True), text("Descripción", True), text("Categoría"),
    fields.IntegerField(name="Cantidad", constraints={"required": True, "minimum": 1}),
    text("Unidad"),
    fields.IntegerField(name="Valor unitario (CLP)", constraints={"required": True,
                                                                  "minimum": 0}),
    fields.IntegerField(name="Valor total (CLP)"), date("Fecha de adquisición"),
    text("Documento de compra"), text("Estado"), text("Ubicación"), text("Custodio"),
    text("Organización receptora"), date("Fecha de traspaso"), text("N° acta de traspaso")])
plan = Schema(fields=[
    fields.IntegerField(name="N°"), text("Ámbito", True), text("Objetivo", True),
    text("Acción", True), text("Resultado esperado", True), text("Responsable(s)", True),
    date("Fecha de inicio"), fields.IntegerField(name="Plazo (días)",
                                                 constraints={"required": True}),
    date("Fecha límite"), text("Requerimientos", True), yes_no("¿Activa alianzas?"),
    text("Con quién"),
    fields.StringField(name="Estado", constraints={"required": True, "enum": [
        "Pendiente", "En curso", "Completada", "Reprogramada", "Suspendida"]}),
    fields.NumberField(name="% avance", constraints={"minimum": 0, "maximum": 1}),
    date("Fecha real de término"), text("Verificador"),
    text("Observaciones / nudos críticos")])
sessions = Schema(fields=[
    fields.IntegerField(name="N°"), date("Fecha", True), text("Tipo de sesión", True),
    text("Instancia"), text("Tema / objetivo", True), text("Modalidad"),
    fields.IntegerField(name="N° de asistentes"), yes_no("Lista de asistencia"),
    yes_no("Registro audiovisual"), yes_no("Acta"), yes_no("Participa Grupo Motor"),
    yes_no("Participa Consejo Local"), yes_no("Participa municipio"),
    yes_no("Participa comunidad organizada"), yes_no("Participan donantes / colaboradores"),
    text("Verificador (archivo o enlace)"), text("Observaciones")])
errors = 0
for name, schema in (("Inventario", inventory), ("Seguimiento Plan de Trabajo", plan),
                     ("Sesiones", sessions)):
    report = sheet(name, schema)
    errors += len(report.flatten(["type"]))
t2 = time.perf_counter()
peak = PEAK()
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "findings": errors, "peak_mb": peak}))
"""


def measure(script: str, path: Path) -> dict[str, float]:
    """Run a timing script in a fresh process; it reports its own seconds and peak RSS."""
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description="Time validating a large workbook.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grande.xlsx"
        t0 = time.perf_counter()
        build(path)
        print(f"libro: {INVENTORY} bienes, {SEGUIMIENTO} acciones de seguimiento, "
              f"{SESSIONS} sesiones; {path.stat().st_size / 2**20:.1f} MB; construido en "
              f"{time.perf_counter() - t0:.1f} s")
        minga = min((measure(MINGA, path) for _ in range(args.repeat)),
                    key=lambda r: r["seconds"])
        frictionless = min((measure(FRICTIONLESS, path) for _ in range(args.repeat)),
                           key=lambda r: r["seconds"])
    print(f"{'':14}{'segundos':>10}{'memoria MB':>12}{'hallazgos':>11}")
    print(f"{'minga':14}{minga['seconds']:>10.2f}{minga['peak_mb']:>12.0f}"
          f"{minga['findings']:>11}")
    print(f"{'frictionless':14}{frictionless['seconds']:>10.2f}{frictionless['peak_mb']:>12.0f}"
          f"{frictionless['findings']:>11}")
    ratio = frictionless["seconds"] / minga["seconds"]
    print(f"minga es {ratio:.1f}× más rápido que frictionless en los mismos datos "
          f"(objetivos: < {TARGET_SECONDS:.0f} s → {minga['seconds'] / TARGET_SECONDS:.2f}×; "
          f"< {TARGET_MB} MB → {minga['peak_mb'] / TARGET_MB:.2f}×; más rápido → "
          f"{'sí' if ratio > 1 else 'no'}).")
    print("Memoria: pico de memoria residente de cada proceso (incluye el intérprete y las "
          "librerías); segundos: sin contar la importación de librerías.")


if __name__ == "__main__":
    main()
