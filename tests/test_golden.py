"""The findings do not change when reading and validating get faster (issue 13).

tests/golden/ holds what `minga validar --json` said at commit 95b32d3, before any speed-up, of
the demo workbook, every corpus file, the committed templates and a bench workbook with
defects planted every 31 rows (``tests/golden.py`` made them).  Every finding — rule, severity,
sheet, cell, row key, message, fix — and every unreadable-file message must come out exactly
the same.  The 1× and 4× bench workbooks (without defects, a minute to build) are checked by
``bench/validate.py`` on every run instead.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tests import golden


def _same(expected: dict, found: dict, what: str) -> None:
    if expected != found:
        a = json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True).splitlines()
        b = json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True).splitlines()
        diff = "\n".join(list(difflib.unified_diff(a, b, "antes", "ahora", lineterm=""))[:80])
        pytest.fail(f"Los hallazgos de {what} cambiaron:\n{diff}\n(Si el cambio es a propósito "
                    "—una regla nueva o corregida—, regenere el registro con "
                    "`python -m tests.golden` y revise el diff de tests/golden/.)")


def test_demo_corpus_and_templates_give_the_same_findings_as_before(tmp_path: Path) -> None:
    expected = golden.load("small.json")
    found = golden.small_outcomes(tmp_path)
    for name in expected:  # a corpus file added later has no «before» to compare with
        _same(expected[name], found[name], name)


def test_every_recorded_workbook_is_still_there() -> None:
    names = set(golden.load("small.json"))
    assert len(names) > 40  # the demo, ~45 corpus files, two templates
    current = {f"{p.parent.name}/{p.name}" for p in golden.samples()}
    assert names - {"demo/ecomercado-15m-demo.xlsx"} <= current


def test_defects_planted_in_thousands_of_rows_keep_their_cells(tmp_path: Path) -> None:
    expected = golden.load("defects.json")
    assert expected["json"]["summary"]["total"] > 150  # the record really holds findings
    path = golden.bench_book(tmp_path, golden.DEFECTS_SCALE, defects=True)
    _same(expected, golden.bench_outcome(path), "el libro de bench con defectos")
