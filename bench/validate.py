"""Benchmark: validating a large programme workbook, against the cost of reading it, against
frictionless-py and against a pandas script doing the same checks (issue 13).

    python bench/validate.py [--repeat 5] [--libros bench/.libros]   # needs ".[dev]"

Builds (untimed, once: kept in --libros) the bench workbook — 20,000 inventory rows, 5,000
seguimiento rows, 3,000 sessions — at 1×, 2× and 4× those rows.  Then, ``--repeat`` rounds in
which every tool runs in turn, each in a fresh process (so that each ratio is paired within a
round, on a machine other programs load too), it measures:

- the read floor: python-calamine ``to_python()`` of every sheet (in-process seconds);
- minga's read path: the clean package, each sheet's proof and python-calamine's read, to the
  rows handed to addin/reading.py, of every sheet (1× and 4×);
- minga in-process: ``validate_file`` — read every sheet, parse every cell, run every rule;
- minga whole-process: ``minga validar --json`` as a user runs it, against a bare
  ``python -c`` that reads every sheet with python-calamine;
- frictionless: per-column checks (types, required, unique codes, bounds, allowed values) on
  the three large sheets;
- pandas: ``read_excel(engine="calamine")`` of the same three sheets and the same checks,
  vectorized, each problem located at its row;

and prints medians, peak resident memory, seconds per 10,000 rows, and every ratio of the
issue's table against its target.  It also checks that the findings of the 1× and 4×
workbooks are still those recorded in tests/golden/bench.json, and exits 1 loudly if not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.demo import build_demo, demo_data  # noqa: E402
from addin.domain.programme import load_programme  # noqa: E402

INVENTORY, SEGUIMIENTO, SESSIONS = 20_000, 5_000, 3_000
SCALES = (1, 2, 4)
#: The issue's targets (same machine, same run).
TARGET_READ_RATIO = 1.5  # minga in-process ÷ the python-calamine read, 1× and 4×
TARGET_PEAK_MB = 250  # minga at 4×
TARGET_FRICTIONLESS = 10.0  # frictionless ÷ minga
TARGET_PANDAS = 1.5  # pandas ÷ minga
TARGET_SECONDS_1X = 1.0  # issue 12: the bench validates the large workbook in under 1 s
TARGET_READ_PATH = 1.15  # minga's read path (clean package, proofs) ÷ the python-calamine read
CUTOFF = "2026-05-20"  # addin.demo.CUTOFF
#: Where the timed processes run: a folder with no «addin» in it (set in main).
NEUTRAL = Path(tempfile.gettempdir())

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

READ = PEAK + """
import json, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
t1 = time.perf_counter()
book = CalamineWorkbook.from_path(sys.argv[1])
rows = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "peak_mb": PEAK()}))
"""

#: minga's read path alone: the file to the rows handed to addin/reading.py (the clean
#: package, the proof of each sheet's area, python-calamine's read), every sheet.
READ_PATH = PEAK + """
import json, sys, time
t0 = time.perf_counter()
from addin.backends.calamine_backend import CalamineBackend
t1 = time.perf_counter()
reader = CalamineBackend(sys.argv[1])
rows = [reader.read_values(name) for name in reader.sheet_names()]
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "peak_mb": PEAK()}))
"""

#: What a user's bare read costs as a whole process: the floor of the whole-process ratio.
BARE = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""

MINGA = PEAK + """
import hashlib, json, sys, time
from datetime import date
t0 = time.perf_counter()
from addin.actions.validate import validate_file
t1 = time.perf_counter()
result, _ = validate_file(sys.argv[1], cutoff=date.fromisoformat(sys.argv[2]))
t2 = time.perf_counter()
peak = PEAK()
found = result.to_json()
found["file"] = "grande.xlsx"
text = json.dumps({"exit": result.exit_code, "json": found}, ensure_ascii=False, sort_keys=True)
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "findings": len(result.findings),
                  "peak_mb": peak, "sha256": hashlib.sha256(text.encode()).hexdigest()}))
"""

PANDAS = PEAK + """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import pandas as pd
t1 = time.perf_counter()
frames = pd.read_excel(sys.argv[1], engine="calamine", header=2,
                       sheet_name=["Inventario", "Seguimiento Plan de Trabajo", "Sesiones"])
problems = []  # (sheet, column, sheet rows): every problem located, as minga locates them

def flag(sheet, column, mask):
    rows = np.flatnonzero(mask.to_numpy()) + 4  # header on row 3
    if len(rows):
        problems.append((sheet, column, rows.tolist()))

def required(sheet, df, columns):
    for c in columns:
        flag(sheet, c, df[c].isna() | (df[c].astype(str).str.strip() == ""))

def number(sheet, df, c, minimum=None, maximum=None, integer=False):
    values = pd.to_numeric(df[c], errors="coerce")
    flag(sheet, c, values.isna() & df[c].notna())
    if integer:
        flag(sheet, c, values.notna() & (values % 1 != 0))
    if minimum is not None:
        flag(sheet, c, values < minimum)
    if maximum is not None:
        flag(sheet, c, values > maximum)

def day(sheet, df, c):
    values = pd.to_datetime(df[c], errors="coerce", dayfirst=True)
    flag(sheet, c, values.isna() & df[c].notna())

def allowed(sheet, df, c, options):
    flag(sheet, c, df[c].notna() & ~df[c].isin(options))

yes_no = ["Sí", "No"]
inv = frames["Inventario"]
inv = inv[inv.notna().any(axis=1)]
required("Inventario", inv, ["Código", "Descripción", "Cantidad", "Valor unitario (CLP)"])
flag("Inventario", "Código", inv["Código"].notna() & inv["Código"].str.strip().str.casefold()
     .duplicated(keep="first"))
number("Inventario", inv, "Cantidad", minimum=1, integer=True)
number("Inventario", inv, "Valor unitario (CLP)", minimum=0)
number("Inventario", inv, "Valor total (CLP)")
for c in ("Fecha de adquisición", "Fecha de traspaso"):
    day("Inventario", inv, c)
allowed("Inventario", inv, "Categoría", ["Refrigeración y frío", "Mobiliario",
        "Equipamiento de bodega", "Equipos computacionales", "Balanzas y medición",
        "Transporte y carga", "Utensilios y menaje", "Aseo e higiene", "Señalética y difusión",
        "Otro"])
allowed("Inventario", inv, "Estado", ["Nuevo", "Bueno", "Regular", "Malo", "De baja"])
plan = frames["Seguimiento Plan de Trabajo"]
plan = plan[plan.notna().any(axis=1)]
required("Seguimiento Plan de Trabajo", plan, ["Ámbito", "Objetivo", "Acción",
         "Resultado esperado", "Responsable(s)", "Plazo (días)", "Requerimientos", "Estado"])
number("Seguimiento Plan de Trabajo", plan, "Plazo (días)", integer=True)
number("Seguimiento Plan de Trabajo", plan, "% avance", minimum=0, maximum=1)
for c in ("Fecha de inicio", "Fecha límite", "Fecha real de término"):
    day("Seguimiento Plan de Trabajo", plan, c)
allowed("Seguimiento Plan de Trabajo", plan, "¿Activa alianzas?", yes_no)
allowed("Seguimiento Plan de Trabajo", plan, "Estado", ["Pendiente", "En curso", "Completada",
        "Reprogramada", "Suspendida"])
ses = frames["Sesiones"]
ses = ses[ses.notna().any(axis=1)]
required("Sesiones", ses, ["Fecha", "Tipo de sesión", "Tema / objetivo"])
day("Sesiones", ses, "Fecha")
number("Sesiones", ses, "N° de asistentes", integer=True, minimum=0)
for c in ("Lista de asistencia", "Registro audiovisual", "Acta", "Participa Grupo Motor",
          "Participa Consejo Local", "Participa municipio", "Participa comunidad organizada",
          "Participan donantes / colaboradores"):
    allowed("Sesiones", ses, c, yes_no)
allowed("Sesiones", ses, "Modalidad", ["Presencial", "Virtual", "Mixta"])
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "peak_mb": PEAK(),
                  "findings": sum(len(rows) for _, _, rows in problems)}))
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


def measure(script: str, *args: str, source: Path | None = None) -> dict[str, Any]:
    """Run a timing script in a fresh process; it reports its own seconds and peak RSS.
    ``source``: another checkout of minga to import instead of this one (--antes)."""
    env = None if source is None else {**os.environ, "PYTHONPATH": str(source)}
    # From a neutral folder: «python -c» puts the current folder first on sys.path, and the
    # checkout being measured must be the one imported.
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, check=True, env=env, cwd=NEUTRAL)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def whole(command: list[str]) -> float:
    """Wall seconds of a whole process, from its start to its exit (imports included)."""
    t0 = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, cwd=NEUTRAL)
    return time.perf_counter() - t0


def book(folder: Path, scale: int) -> Path:
    """The bench workbook at ``scale``, built once into ``folder`` (alone in its subfolder:
    VER-03 looks at the files beside a workbook)."""
    path = folder / f"{scale}x" / "grande.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        build(path, scale)
        print(f"  construido {path} ({path.stat().st_size / 2**20:.1f} MB) en "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    return path


def median(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def paired(a: list[float], b: list[float]) -> float:
    """Median of the per-round ratios a/b: each ratio from two runs of the same round."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def quartiles(a: list[float], b: list[float]) -> str:
    """The spread of the paired ratios a/b (first quartile–third quartile): on this kind of
    virtual machine the speed of a whole process jumps between two levels within seconds,
    so a pair whose runs fell on different levels is far off; the median of many pairs is
    not."""
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    if len(ratios) < 2:
        return f"{ratios[0]:.2f}"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{low:.2f}–{high:.2f}"


def verdict(ok: bool) -> str:
    return "cumple" if ok else "NO cumple"


def main() -> None:
    parser = argparse.ArgumentParser(description="Time validating a large workbook.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--libros", type=Path, default=ROOT / "bench" / ".libros",
                        help="Carpeta donde se guardan los libros construidos.")
    parser.add_argument("--sin-comparar", action="store_true",
                        help="Omite frictionless y pandas (más rápido).")
    parser.add_argument("--pares", type=int, default=3, metavar="N",
                        help="Pares pandas–minga por ronda (cada uno junto, en orden "
                             "alterno).")
    parser.add_argument("--antes", type=Path, metavar="CARPETA",
                        help="Otra copia de minga (p. ej. `git archive 95b32d3 | tar -x -C "
                             "CARPETA`) medida en las mismas rondas, para comparar.")
    args = parser.parse_args()
    global NEUTRAL
    NEUTRAL = args.libros.resolve()
    NEUTRAL.mkdir(parents=True, exist_ok=True)
    minga = [sys.executable, "-m", "addin", "validar"]
    print("Construyendo libros (una vez)…", flush=True)
    books = {scale: book(args.libros, scale) for scale in SCALES}
    runs: dict[str, list[Any]] = {}

    def add(name: str, value: Any) -> None:
        runs.setdefault(name, []).append(value)

    for n in range(args.repeat):
        print(f"ronda {n + 1}/{args.repeat}", flush=True)
        for scale, path in books.items():
            add(f"read{scale}", measure(READ, str(path)))
            if scale != 2:
                add(f"path{scale}", measure(READ_PATH, str(path)))
            add(f"minga{scale}", measure(MINGA, str(path), CUTOFF))
            if args.antes and scale != 2:
                add(f"antes{scale}", measure(MINGA, str(path), CUTOFF, source=args.antes))
            if scale != 2:
                add(f"bare{scale}", whole([sys.executable, "-c", BARE, str(path)]))
                add(f"cli{scale}", whole([*minga, str(path), "--json", "--fecha-corte", CUTOFF]))
        if not args.sin_comparar:
            # Each comparison against a minga ×1 run next to it, in alternating order: the
            # machine's speed changes within seconds (see ``quartiles``), the rest of a round
            # takes tens of seconds.
            for name, script, count in (("frictionless", FRICTIONLESS, 1),
                                        ("pandas", PANDAS, args.pares)):
                for k in range(count):
                    if (n + k) % 2 == 0:
                        ours = measure(MINGA, str(books[1]), CUTOFF)
                        theirs = measure(script, str(books[1]))
                    else:
                        theirs = measure(script, str(books[1]))
                        ours = measure(MINGA, str(books[1]), CUTOFF)
                    add(name, theirs)
                    add(f"{name}-minga", ours)

    rows = {scale: (INVENTORY + SEGUIMIENTO + SESSIONS) * scale for scale in SCALES}
    print(f"\nLibro: {INVENTORY:,} bienes, {SEGUIMIENTO:,} acciones, {SESSIONS:,} sesiones "
          f"(×1, ×2, ×4); medianas de {args.repeat} procesos nuevos por herramienta, "
          "corridas por turnos. La máquina es compartida: lea las razones, no los segundos.")
    print(f"\n{'':34}{'segundos':>9}{'MB pico':>9}{'s/10k filas':>13}{'hallazgos':>11}")
    for scale in SCALES:
        read, ours = runs[f"read{scale}"], runs[f"minga{scale}"]
        print(f"{f'lectura calamine ×{scale}':34}{median(read):>9.2f}"
              f"{median(read, 'peak_mb'):>9.0f}{median(read) / rows[scale] * 1e4:>13.3f}")
        print(f"{f'minga en proceso ×{scale}':34}{median(ours):>9.2f}"
              f"{median(ours, 'peak_mb'):>9.0f}{median(ours) / rows[scale] * 1e4:>13.3f}"
              f"{ours[0]['findings']:>11}")
    for scale in (1, 4):
        path_runs = runs[f"path{scale}"]
        print(f"{f'ruta de lectura de minga ×{scale}':34}{median(path_runs):>9.2f}"
              f"{median(path_runs, 'peak_mb'):>9.0f}")
    for scale in (1, 4):
        bare = statistics.median(runs[f"bare{scale}"])
        print(f"{f'python -c (lectura) ×{scale}':34}{bare:>9.2f}")
        print(f"{f'minga validar (proceso) ×{scale}':34}"
              f"{statistics.median(runs[f'cli{scale}']):>9.2f}")
    for scale in (1, 4):
        if f"antes{scale}" in runs:
            before = runs[f"antes{scale}"]
            print(f"{f'minga antes (--antes) ×{scale}':34}{median(before):>9.2f}"
                  f"{median(before, 'peak_mb'):>9.0f}"
                  f"{median(before) / rows[scale] * 1e4:>13.3f}{before[0]['findings']:>11}")
    for name in ("frictionless", "pandas"):
        if name in runs:
            print(f"{name + ' ×1':34}{median(runs[name]):>9.2f}"
                  f"{median(runs[name], 'peak_mb'):>9.0f}"
                  f"{median(runs[name]) / rows[1] * 1e4:>13.3f}{runs[name][0]['findings']:>11}")

    secs = {scale: [r["seconds"] for r in runs[f"minga{scale}"]] for scale in SCALES}
    reads = {scale: [r["seconds"] for r in runs[f"read{scale}"]] for scale in SCALES}
    print("\nRazones (mediana de las razones de cada ronda) y objetivos:")
    checks: list[tuple[str, float, str, bool]] = []
    for scale in (1, 4):
        ratio = paired(secs[scale], reads[scale])
        checks.append((f"minga ÷ lectura calamine, ×{scale}", ratio,
                       f"≤ {TARGET_READ_RATIO}", ratio <= TARGET_READ_RATIO))
    for scale in (1, 4):
        ratio = paired([r["seconds"] for r in runs[f"path{scale}"]], reads[scale])
        checks.append((f"ruta de lectura de minga ÷ lectura calamine, ×{scale}", ratio,
                       f"≤ {TARGET_READ_PATH}", ratio <= TARGET_READ_PATH))
    peak4 = median(runs["minga4"], "peak_mb")
    checks.append(("memoria pico de minga ×4 (MB)", peak4, f"≤ {TARGET_PEAK_MB}",
                   peak4 <= TARGET_PEAK_MB))
    one = median(runs["minga1"])
    checks.append(("segundos de minga ×1 (issue 12)", one, f"< {TARGET_SECONDS_1X}",
                   one < TARGET_SECONDS_1X))
    spreads = []
    for name, target in (("frictionless", TARGET_FRICTIONLESS), ("pandas", TARGET_PANDAS)):
        if name in runs:
            theirs = [r["seconds"] for r in runs[name]]
            ours = [r["seconds"] for r in runs[f"{name}-minga"]]
            ratio = paired(theirs, ours)
            pairs = f"{len(theirs)} par{'es' if len(theirs) != 1 else ''}"
            checks.append((f"{name} ÷ minga, ×1 ({pairs})", ratio, f"≥ {target}",
                           ratio >= target))
            spreads.append(f"  {name} ÷ minga ×1: cuartiles de los pares "
                           f"{quartiles(theirs, ours)}; los mejores,\n    {min(theirs):.2f} s ÷ "
                           f"{min(ours):.2f} s = {min(theirs) / min(ours):.2f}")
    for scale in (1, 4):
        if f"antes{scale}" in runs:
            ratio = paired([r["seconds"] for r in runs[f"antes{scale}"]], reads[scale])
            checks.append((f"minga antes ÷ lectura calamine, ×{scale}", ratio, "—", True))
    for scale in (1, 4):
        ratio = paired(runs[f"cli{scale}"], runs[f"bare{scale}"])
        checks.append((f"minga validar ÷ python -c lectura, ×{scale} (proceso)", ratio, "—",
                       True))
    for name, value, target, ok in checks:
        mark = verdict(ok) if target != "—" else ""
        print(f"  {name:52}{value:>8.2f}  objetivo {target:8} {mark}")
    for line in spreads:
        print(line)
    per = {scale: median(runs[f"minga{scale}"]) / rows[scale] * 1e4 for scale in SCALES}
    print("  segundos por 10.000 filas ×1, ×2, ×4: "
          + ", ".join(f"{per[s]:.3f}" for s in SCALES)
          + f" (×4 ÷ ×1 = {per[4] / per[1]:.2f}; lineal ≈ 1)")

    expected = json.loads((ROOT / "tests" / "golden" / "bench.json").read_text())
    wrong = [f"×{scale}" for scale in (1, 4)
             if {r["sha256"] for r in runs[f"minga{scale}"]} != {expected[f"{scale}x"]["sha256"]}]
    if wrong:
        print(f"\n¡LOS HALLAZGOS CAMBIARON en los libros {', '.join(wrong)} respecto de "
              "tests/golden/bench.json!", file=sys.stderr)
        sys.exit(1)
    print("\nHallazgos de los libros ×1 y ×4: idénticos a tests/golden/bench.json.")


if __name__ == "__main__":
    main()
