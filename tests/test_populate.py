"""`minga poblar` never overwrites a date a person typed (issue 6 item 3): it tells its own
dates from typed ones by the workbook's record, keeps the typed ones unless asked
(--reemplazar-fechas), and lists what it changed and what it left."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from addin.actions.build import build_file
from addin.actions.populate import populate_file
from addin.actions.record import RECORD_SHEET
from addin.domain.programme import load_programme
from addin.domain.schedule import schedule
from addin.layouts.ecomercado import GANTT
from addin.layouts.model import column_letter, locate_header

PROGRAMME = "ecomercado-10m"
FIRST = date(2026, 1, 5)
SECOND = date(2026, 2, 2)
TYPED = date(2026, 4, 1)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "addin", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120, env=env, check=False)


def cells(path: Path) -> dict[str, tuple[str, str]]:
    """Activity code → (Inicio cell, Término cell) of the Carta Gantt."""
    ws = load_workbook(path)[GANTT.es]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    match = locate_header(rows, GANTT.columns)
    assert match is not None
    c = match.columns
    return {str(row[c["codigo"]]): (f"{column_letter(c['inicio'])}{i}",
                                    f"{column_letter(c['termino'])}{i}")
            for i, row in enumerate(rows, start=1)
            if i > match.row + 1 and row[c["codigo"]]}


def dates(path: Path) -> dict[str, tuple[object, object]]:
    """Activity code → (Inicio, Término) as the sheet holds them (stage rows left out)."""
    ws = load_workbook(path)[GANTT.es]
    activities = expected(FIRST)
    return {code: tuple(_day(ws[ref].value) for ref in refs)
            for code, refs in cells(path).items() if code in activities}


def _day(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


def expected(start: date) -> dict[str, tuple[date, date]]:
    return {s.activity.code: (s.start, s.end) for s in schedule(load_programme(PROGRAMME), start)}


def type_in(path: Path, values: dict[str, object]) -> None:
    """A person types into the Gantt: {"2.1/inicio": value}."""
    where = cells(path)
    wb = load_workbook(path)
    for key, value in values.items():
        code, field = key.split("/")
        wb[GANTT.es][where[code][0 if field == "inicio" else 1]] = value
    wb.save(path)


def built(tmp_path: Path) -> Path:
    path = tmp_path / "libro.xlsx"
    build_file(load_programme(PROGRAMME), path, start=FIRST)
    return path


def test_repopulating_keeps_a_date_typed_by_hand_and_says_which_row(tmp_path: Path) -> None:
    path = built(tmp_path)
    type_in(path, {"2.1/inicio": datetime(2026, 4, 1)})
    result = run("poblar", "libro.xlsx", "--inicio", SECOND.isoformat(), "--sin-respaldo",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    now, want = dates(path), expected(SECOND)
    assert now["2.1"] == (TYPED, want["2.1"][1])  # hers kept, minga's Término recalculated
    assert all(now[code] == want[code] for code in want if code != "2.1")
    out = result.stdout
    assert "se dejaron como estaban (1)" in out
    kept = next(line for line in out.split("se dejaron")[1].splitlines()
                if line.strip().startswith("2.1 "))
    assert "01-04-2026" in kept and f"{want['2.1'][0]:%d-%m-%Y}" in kept
    assert "--reemplazar-fechas" in out
    assert f"{want['1.1'][0]:%d-%m-%Y} (antes {expected(FIRST)['1.1'][0]:%d-%m-%Y})" in out


def test_reemplazar_fechas_replaces_typed_dates_too(tmp_path: Path) -> None:
    path = built(tmp_path)
    type_in(path, {"2.1/inicio": datetime(2026, 4, 1)})
    result = run("poblar", "libro.xlsx", "--inicio", SECOND.isoformat(), "--sin-respaldo",
                 "--reemplazar-fechas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert dates(path) == expected(SECOND)
    assert "01-04-2026" in result.stdout and "se dejaron" not in result.stdout
    # Replaced dates are minga's again: the next start date moves them.
    populate_file(path, start=FIRST, keep_backup=False)
    assert dates(path) == expected(FIRST)


def test_populating_again_with_the_same_start_changes_nothing_and_says_so(
        tmp_path: Path) -> None:
    path = built(tmp_path)
    type_in(path, {"3.1/termino": "30-09-2026"})  # typed as text, day first
    result = run("poblar", "libro.xlsx", "--sin-respaldo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No cambió ninguna fecha" in result.stdout
    assert "3.1 " in result.stdout.split("se dejaron")[1]
    assert load_workbook(path)[GANTT.es][cells(path)["3.1"][1]].value == "30-09-2026"


def test_formulas_and_blanks_typed_in_date_cells(tmp_path: Path) -> None:
    """A formula is a person's; a date a person cleared is blank, so minga fills it."""
    path = built(tmp_path)
    start_ref = cells(path)["2.1"][0]
    type_in(path, {"2.2/inicio": f"={start_ref}+7", "1.1/termino": None})  # openpyxl: formula
    result, _ = populate_file(path, start=SECOND, keep_backup=False)
    ws = load_workbook(path)[GANTT.es]
    assert ws[cells(path)["2.2"][0]].value == f"={start_ref}+7"
    assert [(c.key, c.field) for c in result.kept] == [("2.2", "Inicio")]
    assert _day(ws[cells(path)["1.1"][1]].value) == expected(SECOND)["1.1"][1]
    assert ("1.1", "Término") in {(c.key, c.field) for c in result.changed}


def test_minga_recognises_its_dates_by_activity_after_rows_are_inserted(
        tmp_path: Path) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    row = int("".join(ch for ch in cells(path)["2.1"][0] if ch.isdigit()))
    wb[GANTT.es].insert_rows(row, 2)  # two rows of her own above activity 2.1
    wb.save(path)
    result, _ = populate_file(path, start=SECOND, keep_backup=False)
    assert result.kept == []
    assert dates(path) == expected(SECOND)


def test_a_workbook_populated_without_a_record_still_moves_minga_dates(tmp_path: Path) -> None:
    """A workbook populated by minga 0.1 has no record: dates equal to what the start written
    in Programa gives are minga's; any other date is a person's."""
    path = built(tmp_path)
    wb = load_workbook(path)
    del wb[RECORD_SHEET]
    wb.save(path)
    type_in(path, {"2.3/termino": datetime(2026, 12, 1)})
    result, _ = populate_file(path, start=SECOND, keep_backup=False)
    want = expected(SECOND)
    now = dates(path)
    assert now["2.3"] == (want["2.3"][0], date(2026, 12, 1))
    assert all(now[code] == want[code] for code in want if code != "2.3")
    assert [(c.key, c.field) for c in result.kept] == [("2.3", "Término")]
    assert load_workbook(path)[RECORD_SHEET].sheet_state == "hidden"


def test_report_due_dates_typed_by_hand_are_kept_too(tmp_path: Path) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    ws = wb["Informes"]
    header = next(r for r in ws.iter_rows() if r[0].value == "N°")
    due = next(c for c in header if c.value == "Fecha comprometida").column
    ws.cell(row=header[0].row + 1, column=due, value=datetime(2026, 12, 15))
    wb.save(path)
    result, _ = populate_file(path, start=SECOND, keep_backup=False)
    assert [c.key for c in result.kept] == ["Informe N°1"]
    assert load_workbook(path)["Informes"].cell(
        row=header[0].row + 1, column=due).value == datetime(2026, 12, 15)
