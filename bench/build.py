"""Benchmark: how long building a programme workbook (populated, if it has a carta Gantt) takes.

    python bench/build.py [--repeat 7]

Prints the median and best wall time per variant, the ratio to the 1-second target, the
share spent saving, and the file size.  Targets live here, never as timed assertions in tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from addin.actions.build import write_workbook
from addin.actions.populate import populate_gantt
from addin.backends.xlsxwriter_backend import XlsxWriterBackend
from addin.domain.programme import builtin_ids, load_programme
from addin.layouts.ecomercado import GANTT
from addin.layouts.sets import layouts_for

TARGET_SECONDS = 1.0


def one_build(programme_id: str, folder: Path) -> tuple[float, float, int]:
    definition = load_programme(programme_id)
    path = folder / f"{programme_id}.xlsx"
    t0 = time.perf_counter()
    backend = XlsxWriterBackend.create(path)  # as `minga nuevo` builds
    write_workbook(backend, definition)
    if GANTT in layouts_for(definition):  # the other kinds of workbook have no dates to fill
        populate_gantt(backend, definition, date(2026, 3, 2), date(2026, 11, 24))
    t1 = time.perf_counter()
    backend.save()
    t2 = time.perf_counter()
    return t2 - t0, (t2 - t1) / (t2 - t0), path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description="Time building a minga workbook.")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{'programa':<16}{'mediana s':>10}{'mejor s':>10}{'vs 1 s':>9}{'guardar':>9}"
          f"{'tamaño KB':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for pid in builtin_ids():
            one_build(pid, Path(tmp))  # warm-up: imports, caches
            runs = [one_build(pid, Path(tmp)) for _ in range(args.repeat)]
            times = [r[0] for r in runs]
            median = statistics.median(times)
            print(f"{pid:<16}{median:>10.3f}{min(times):>10.3f}"
                  f"{median / TARGET_SECONDS:>8.2f}x{statistics.median(r[1] for r in runs):>8.0%}"
                  f"{runs[-1][2] / 1024:>11.1f}")


if __name__ == "__main__":
    main()
