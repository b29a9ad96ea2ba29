"""Benchmark: `minga supervisar` on a folder of demo-size submissions with varied defects.

    python bench/supervise.py                 # 500 submissions; first run and re-run
    python bench/supervise.py --cantidad 60 --carpeta /tmp/entregas   # keep the folder
    python bench/supervise.py --cantidad 60 --todos-los-tipos   # with the other programmes

Builds (untimed; reused when --carpeta already holds them) ``--cantidad`` workbooks: ``--base``
real demo workbooks (programmes in several regions, one submission per month each, every one
with its own mix of planted defects, ``addin.demo.submissions``), and the rest derived from
them by renaming the comuna and ejecutor in the Programa sheet's XML (another programme with
the same defects: building 500 workbooks with openpyxl would take longer than validating
them).  Then times, each in a fresh process: the first run (everything validated) and a
re-run with nothing changed (everything skipped by hash).  Prints workbooks per second, peak
memory of the run and the database's size.  ``--todos-los-tipos`` adds two months of each of
the other programmes (indicator matrices, assembly, roadmap and fund; the first month with its
defect) and prints how many workbooks of each kind were identified.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.demo.submissions import (  # noqa: E402
    OTHER_PROGRAMMES,
    make_submissions,
    other_submission,
)


def derive(base: list[Path], count: int) -> list[Path]:
    """``count`` more submissions: copies of ``base`` claiming other programmes (the comuna and
    ejecutor cells of the Programa sheet renamed in its XML), so each is validated anew."""
    out = []
    for n in range(count):
        source = base[n % len(base)]
        copy = n // len(base) + 2
        target = source.with_name(f"{source.stem}-{copy:02d}{source.suffix}")
        out.append(target)
        if target.exists():
            continue
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w",
                                                             zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                body = zin.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":  # Programa
                    body = re.sub(rb'(<c r="B1[23]"[^>]*><is><t>)([^<]*)(</t>)',
                                  lambda m, n=copy: m[1] + m[2] + f" {n}".encode() + m[3],
                                  body)
                zout.writestr(info, body)
    return out


def _run(folder: Path, db: Path) -> tuple[float, float, dict[str, Any]]:
    """One `minga supervisar` in a fresh process: seconds, peak MiB (the run and its
    workers), and its JSON report."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "addin", "supervisar", str(folder),
                              "--db", str(db), "--json"], stdout=subprocess.PIPE, env=env)
    out, _ = child.communicate()
    seconds = time.perf_counter() - t0
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cantidad", type=int, default=500)
    parser.add_argument("--meses", type=int, default=3)
    parser.add_argument("--base", type=int, default=36)
    parser.add_argument("--carpeta", type=Path, default=None)
    parser.add_argument("--todos-los-tipos", action="store_true",
                        help="agrega dos meses de cada uno de los otros programas")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minga-bench-") as tmp:
        folder = args.carpeta or Path(tmp) / "entregas"
        t0 = time.perf_counter()
        paths = make_submissions(folder, min(args.base, args.cantidad), args.meses)
        paths += derive(paths, args.cantidad - len(paths))
        if args.todos_los_tipos:
            for programme in OTHER_PROGRAMMES:
                for month in range(2):
                    target = folder / "otros" / programme / f"entrega-{month + 1}.xlsx"
                    if not target.exists():
                        other_submission(target, programme, month, defect=month == 0)
                    paths.append(target)
        print(f"{len(paths)} libros en {folder} (construidos en "
              f"{time.perf_counter() - t0:.0f} s, sin medir)")
        db = Path(tmp) / "bench.minga.sqlite"
        for label in ("primera pasada", "sin cambios"):
            seconds, peak, report = _run(folder, db)
            size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
            print(f"{label}: {seconds:.1f} s, {len(paths) / seconds:.1f} libros/s "
                  f"({60 * len(paths) / seconds:.0f} por minuto); validados "
                  f"{report['validated']}, omitidos {report['skipped']}; memoria máxima de un "
                  f"proceso {peak:.0f} MiB; base {size / 2**20:.1f} MiB "
                  f"({size / 1024 / len(paths):.0f} KiB por entrega); "
                  f"{os.cpu_count()} núcleos")
            kinds: dict[str, int] = {}
            for row in report["submissions"]:
                kind = row.get("kind") or "sin identificar"
                kinds[kind] = kinds.get(kind, 0) + 1
            print("  libros por tipo: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
