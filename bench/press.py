"""Benchmark: what a user waits for on a small workbook, as whole processes (issue 13).

    python bench/press.py [--repeat 9]

Measures, in rounds where each command runs in turn in a fresh process (so that the ratios
are paired within a round, on a machine other programs load too):

- the button press: `minga validar` of the demo workbook (what «Validar» runs);
- `minga nuevo -p ecomercado-15m --inicio 2026-03-02`: building a populated workbook;
- `minga --help`;
- the floor: a bare `python -c` that imports python-calamine and reads every sheet of the
  demo workbook.

Prints the medians and each ratio against the issue's targets.  Wall time includes Python's
start-up and every import, as a user lives it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.demo import build_demo  # noqa: E402

TARGET_PRESS, TARGET_PRESS_RATIO, TARGET_NEW = 0.30, 7.0, 0.6

BARE = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python()
"""


def wall(command: list[str], env: dict[str, str] | None = None, *, cwd: Path) -> float:
    t0 = time.perf_counter()
    # From a neutral folder: «python -m» puts the current folder first on sys.path, and the
    # checkout being measured (--antes) must be the one imported.
    done = subprocess.run(command, capture_output=True, check=False, env=env, cwd=cwd)
    seconds = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} falló ({done.returncode}): {done.stderr.decode()[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the button press and `minga nuevo`.")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--antes", type=Path, metavar="CARPETA",
                        help="Otra copia de minga medida en las mismas rondas (p. ej. "
                             "`git archive 95b32d3 | tar -x -C CARPETA`).")
    parser.add_argument("--solo-boton", action="store_true",
                        help="Mide solo el botón, la ayuda y la lectura (sin `minga nuevo`).")
    args = parser.parse_args()
    minga = [sys.executable, "-m", "addin"]
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo" / "ecomercado-15m-demo.xlsx"
        demo.parent.mkdir()
        build_demo(demo)
        new = Path(tmp) / "nuevo.xlsx"
        commands = {
            "bare": [sys.executable, "-c", BARE, str(demo)],
            "press": [*minga, "validar", str(demo)],
            "press_json": [*minga, "validar", str(demo), "--json"],
            "new": [*minga, "nuevo", "-p", "ecomercado-15m", "--inicio", "2026-03-02",
                    "--salida", str(new), "--sobrescribir"],
            "help": [*minga, "--help"],
        }
        if args.solo_boton:
            del commands["new"]
        # As a user's machine runs it: with its bytecode cache (a PYTHONDONTWRITEBYTECODE left
        # in the environment would recompile every module of minga in every process) and with
        # its cache of validated programme definitions, in a folder of this run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["MINGA_CACHE"] = str(Path(tmp) / "cache")
        before = None if args.antes is None else {**env, "PYTHONPATH": str(args.antes)}
        if before is not None:
            commands["press_before"] = commands["press"]
            if "new" in commands:
                commands["new_before"] = commands["new"]
        envs = {"press_before": before, "new_before": before}
        for name, command in commands.items():  # warm the file cache and the bytecode
            wall(command, envs.get(name, env), cwd=Path(tmp))
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(wall(command, envs.get(name, env), cwd=Path(tmp)))

    def med(name: str) -> float:
        return statistics.median(runs[name])

    def ratio(name: str) -> float:
        return statistics.median(a / b for a, b in zip(runs[name], runs["bare"], strict=True))

    print(f"Medianas de {args.repeat} procesos nuevos por comando, corridos por turnos "
          "(máquina compartida: lea las razones).")
    labels = {"bare": "python -c: leer el libro demo con calamine",
              "press": "minga validar demo (el botón)",
              "press_json": "minga validar demo --json",
              "new": "minga nuevo -p ecomercado-15m --inicio …",
              "help": "minga --help",
              "press_before": "minga validar demo, antes (--antes)",
              "new_before": "minga nuevo …, antes (--antes)"}
    for name, label in labels.items():
        if name not in runs:
            continue
        extra = "" if name == "bare" else f"{ratio(name):>8.1f}× la lectura"
        print(f"  {label:46}{med(name):>7.3f} s{extra}")
    if "press_before" in runs:  # paired: each round's press against the same round's old one
        paired = statistics.median(a / b for a, b in zip(runs["press"], runs["press_before"],
                                                          strict=True))
        print(f"  el botón ahora ÷ antes (pareado): {paired:.2f}")
    press, press_ratio = med("press"), ratio("press")
    print("Objetivos:")
    print(f"  botón ≤ {TARGET_PRESS} s: {press:.3f} s → "
          f"{'cumple' if press <= TARGET_PRESS else 'NO cumple'}")
    print(f"  botón ≤ {TARGET_PRESS_RATIO:.0f}× la lectura: {press_ratio:.1f}× → "
          f"{'cumple' if press_ratio <= TARGET_PRESS_RATIO else 'NO cumple'}")
    if "new" in runs:
        new_s = med("new")
        print(f"  minga nuevo ≤ {TARGET_NEW} s: {new_s:.3f} s → "
              f"{'cumple' if new_s <= TARGET_NEW else 'NO cumple'} "
              f"({new_s / TARGET_NEW:.2f}× el objetivo)")


if __name__ == "__main__":
    main()
