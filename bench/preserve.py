"""Benchmark: what the guard of every rewrite costs (``addin.backends.preserve``).

    python bench/preserve.py

On the demo workbook and on the large one of ``bench/validate.py`` (20,000 inventory rows,
5,000 seguimiento rows, 3,000 sessions): the time of `validar --escribir`'s write path
(open with openpyxl, write the findings, save), and within it the guard's share — putting
back the extensions (``restore``) and the two inventories compared (``inventory``,
``losses``).  Best of three runs each.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from addin.actions.validate import validate_file
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.backends.preserve import inventory, losses
from addin.backends.restore import restore
from addin.demo import CUTOFF, build_demo
from bench.validate import build

OWN = {"Validación", "minga-registro", "minga-programa"}


def best(run: Callable[[], object], times: int = 3) -> float:
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def guard(path: Path, saved: bytes) -> None:
    with zipfile.ZipFile(path) as original:
        data = restore(original, saved, OWN)
        before = inventory(original, path, OWN)
    with zipfile.ZipFile(io.BytesIO(data)) as new:
        after = inventory(new, path, OWN)
    assert not losses(before, after)


def measure(label: str, path: Path) -> None:
    backend = OpenpyxlBackend.open(path)
    buffer = io.BytesIO()
    backend.workbook.save(buffer)
    saved = buffer.getvalue()
    guarded = best(lambda: guard(path, saved))
    copy = path.with_name("copia.xlsx")

    def write() -> None:
        copy.write_bytes(path.read_bytes())
        validate_file(copy, cutoff=CUTOFF, write=True, keep_backup=False)

    whole = best(write, 2)
    print(f"{label}: {path.stat().st_size / 1e6:.1f} MB; validar --escribir {whole:.2f} s, "
          f"de ellos la guarda {guarded:.3f} s ({100 * guarded / whole:.1f} %)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo" / "demo.xlsx"
        demo.parent.mkdir()
        build_demo(demo)
        measure("libro de demostración", demo)
        large = Path(folder) / "grande" / "grande.xlsx"
        large.parent.mkdir()
        build(large)
        measure("libro grande (bench/validate.py)", large)


if __name__ == "__main__":
    main()
