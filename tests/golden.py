"""The findings minga gives on fixed workbooks, recorded once so that speeding up the read and
the rules can be shown to change none of them (issue 13: «the findings do not change»).

    python -m tests.golden            # rewrite tests/golden/*.json from this checkout

What is recorded for each workbook is what `minga validar --json` prints (``to_json``; the
file's path reduced to its name) or, when the workbook cannot be read, the exit code 2 and the
Spanish message.  A workbook that states no Fecha de corte is judged at ``FIXED_CUTOFF``, so
that «today» never moves a result.  The large bench workbooks are recorded as a digest of that
JSON plus their counts; a quarter of the bench workbook with defects planted every 31 rows
(``bench/validate.py`` DEFECTS) is recorded whole.  ``tests/test_golden.py`` compares the demo,
every corpus file, the committed templates, the defects workbook and the 1× bench workbook;
``bench/validate.py`` checks the 1× and 4× ones on every run.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
CORPUS = ROOT / "tests" / "corpus"
TEMPLATES = ROOT / "workbooks"
FIXED_CUTOFF = date(2026, 5, 20)
#: The corpus files whose names start with these are made at test time, never committed.
SAMPLE_SUFFIXES = (".xlsx", ".xls", ".ods", ".xlsm")


def outcome(path: Path, cutoff: date | None = None) -> dict[str, Any]:
    """What `minga validar --json ARCHIVO` says of ``path``: its JSON, or exit 2 and why."""
    from addin.actions.validate import validate_file
    from addin.errors import MingaError

    try:
        result, _ = validate_file(path, cutoff=cutoff)
        if cutoff is None and not isinstance(result.data.form.get("fecha_corte"), date):
            result, _ = validate_file(path, cutoff=FIXED_CUTOFF)
    except MingaError as exc:
        return {"exit": 2, "error": str(exc)}
    out = result.to_json()
    out["file"] = path.name
    return {"exit": result.exit_code, "json": out}


def digest(found: dict[str, Any]) -> dict[str, Any]:
    """A large outcome as its digest and counts: enough to say exactly whether it changed."""
    text = json.dumps(found, ensure_ascii=False, sort_keys=True)
    summary: dict[str, Any] = {"sha256": hashlib.sha256(text.encode()).hexdigest(),
                               "exit": found["exit"]}
    if "json" in found:
        summary["summary"] = found["json"]["summary"]
        summary["rules"] = dict(sorted(Counter(f["rule"] for f in found["json"]["findings"])
                                       .items()))
    return summary


def samples() -> list[Path]:
    """Every committed workbook of the corpus and the templates, in a stable order."""
    corpus = sorted(p for p in CORPUS.iterdir() if p.suffix in SAMPLE_SUFFIXES)
    return corpus + sorted(TEMPLATES.glob("*.xlsx"))


def small_outcomes(folder: Path, recorded_only: bool = True) -> dict[str, Any]:
    """The demo workbook (built into ``folder``), every corpus file and every template
    (``recorded_only``: only those small.json records, so a corpus file added later is not
    validated for nothing)."""
    from addin.demo import build_demo

    demo = folder / "ecomercado-15m-demo.xlsx"
    build_demo(demo)
    found = {"demo/ecomercado-15m-demo.xlsx": outcome(demo)}
    recorded = set(load("small.json")) if recorded_only else None
    for path in samples():
        name = f"{path.parent.name}/{path.name}"
        if recorded is None or name in recorded:
            found[name] = outcome(path)
    return found


def bench_book(folder: Path, scale: float, defects: bool = False) -> Path:
    """The bench workbook at ``scale`` × its rows (built once per folder), alone in its own
    folder: VER-03 looks at the files beside a workbook."""
    sys.path.insert(0, str(ROOT))
    from bench.validate import build

    path = folder / f"{scale}x{'-defectos' if defects else ''}" / "grande.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build(path, scale, defects)
    return path


def bench_outcome(path: Path) -> dict[str, Any]:
    """What validating a bench workbook at the bench's cut-off gives."""
    from addin.demo import CUTOFF

    found = outcome(path, CUTOFF)
    if "json" in found:
        found["json"]["file"] = "grande.xlsx"
    return found


#: The bench workbook with defects planted, small enough to build in a test, large enough that
#: its findings land on rows in the thousands.
DEFECTS_SCALE = 0.25


def load(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def save(name: str, data: dict[str, Any]) -> None:
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / name).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                               + "\n", encoding="utf-8")


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save("small.json", small_outcomes(folder, recorded_only=False))
        save("defects.json", bench_outcome(bench_book(folder, DEFECTS_SCALE, defects=True)))
        save("bench.json", {f"{scale}x": digest(bench_outcome(bench_book(folder, scale)))
                            for scale in (1, 4)})


if __name__ == "__main__":
    main()
