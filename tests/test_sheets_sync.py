"""Google Sheets: push and pull between a workbook and a Sheet that lose no edit (issue 8).

Google's servers cannot be reached from the test machines: gspread's real client talks HTTP
to the local Sheets API server of ``tests/sheets_server.py`` (real HTTP on 127.0.0.1; the
server is the only stand-in, and it is checked against Google's recorded traffic in
``test_sheets_server.py``).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from addin.demo import CUTOFF, build_demo, demo_data
from addin.domain.programme import load_programme
from addin.errors import MingaError
from sync.actions import SyncConflicts, sync, validate_sheet
from sync.backend import GspreadBackend
from sync.merge import UNSYNCED, state_path
from tests.sheets_fixtures import TOKEN, make_client, new_spreadsheet, serving
from tests.sheets_server import SheetsServer

#: The most requests a whole-workbook push or pull may cost (issue 8: constant, ≤ 4).
MAX_REQUESTS = 4


@pytest.fixture
def server() -> Iterator[SheetsServer]:
    with serving() as srv:
        yield srv


def small_workbook(path: Path, members: int = 3) -> Path:
    """A workbook without a programme: sync moves values of any workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Integrantes"
    ws.append(["Nombre", "Organización", "Ingreso", "Aporte"])
    for n in range(members):
        ws.append([f"Persona {n + 1}", "Junta de vecinos", date(2026, 3, 2 + n % 20), 1000 + n])
    wb.save(path)
    return path


def local_value(path: Path, sheet: str, ref: str) -> object:
    value = load_workbook(path)[sheet][ref].value
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def remote_value(server: SheetsServer, key: str, sheet: str, ref: str) -> object:
    return server.state.cell(key, sheet, ref).get("userEnteredValue")


def synced_values(path: Path) -> dict[str, dict[str, object]]:
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title in UNSYNCED:
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None or c.data_type == "f":
                    continue
                v = c.value
                if hasattr(v, "time") and callable(v.time) and v.time().hour == 0:
                    v = v.date()
                cells[c.coordinate] = v
        out[ws.title] = cells
    return out


# --- round trip, types, formulas and request counts -----------------------------------------

def test_push_then_pull_gives_back_the_same_values_types_and_dropdowns(
        server: SheetsServer, tmp_path: Path) -> None:
    source = tmp_path / "ecomercado.xlsx"
    build_demo(source)
    key = new_spreadsheet(server)
    push = make_client(server)
    report = sync(source, key, push, "subir")
    assert report.requests == push.request_count == MAX_REQUESTS
    assert [(r.method, r.path.split(key)[-1]) for r in push.log] == [
        ("GET", ""), ("GET", "/values:batchGet"), ("POST", ":batchUpdate"),
        ("POST", "/values:batchUpdate")]
    assert "Sheet1" not in [s.title for s in server.state.books[key].sheets]

    pulled = tmp_path / "bajado.xlsx"
    pull = make_client(server)
    back = sync(pulled, key, pull, "bajar")
    assert back.created and pull.request_count == 2
    assert synced_values(pulled) == synced_values(source)

    # In the Sheet: dates are dates, amounts numbers, dropdowns and Gantt bars are there.
    book = server.state.books[key]
    gantt = book.sheet("Carta Gantt")
    assert len(gantt.conditional) > 10
    assert all(r["booleanRule"]["condition"]["type"] == "CUSTOM_FORMULA"
               for r in gantt.conditional if "booleanRule" in r)
    sessions = book.sheet("Sesiones")
    rules = [c["dataValidation"]["condition"] for c in sessions.cells.values()
             if "dataValidation" in c]
    assert rules and {r["type"] for r in rules} >= {"ONE_OF_RANGE"}
    dated = [c for c in sessions.cells.values()
             if c.get("userEnteredFormat", {}).get("numberFormat", {}).get("type") == "DATE"
             and "numberValue" in c.get("userEnteredValue", {})]
    assert dated, "session dates are numbers under a date format"
    assert book.named and {n["name"] for n in book.named} >= {"minga_inicio"}
    assert server.state.violations == []


def test_request_count_does_not_grow_with_the_rows(server: SheetsServer,
                                                   tmp_path: Path) -> None:
    counts = []
    for members in (3, 800):
        path = small_workbook(tmp_path / f"libro-{members}.xlsx", members)
        http = make_client(server)
        sync(path, new_spreadsheet(server), http, "subir")
        counts.append(http.request_count)
    assert counts[0] == counts[1] <= MAX_REQUESTS


def test_text_that_looks_like_a_formula_stays_text_in_the_sheet(server: SheetsServer,
                                                                 tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    wb = load_workbook(path)
    hostile = ["=IMPORTXML(\"http://x\")", "+56 9 1234 5678", "-5", "@SUM(A1)", "15-03-2026"]
    for col, text in enumerate(hostile, start=1):
        wb["Integrantes"].cell(row=10, column=col).value = text
        wb["Integrantes"].cell(row=10, column=col).data_type = "s"
    wb.save(path)
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    for col, text in enumerate(hostile):
        assert remote_value(server, key, "Integrantes", f"{'ABCDE'[col]}10") == \
            {"stringValue": text}
    assert remote_value(server, key, "Integrantes", "C2") == {"numberValue": 46083}
    assert remote_value(server, key, "Integrantes", "D2") == {"numberValue": 1000}
    # And back: text comes back as text, not as a formula, a number or a date.
    back = GspreadBackend.open(make_client(server), key).read_values("Integrantes")
    assert back[9][:5] == hostile
    assert back[1][2:4] == [date(2026, 3, 2), 1000]


# --- no lost edits ----------------------------------------------------------------------------

def test_edits_on_both_sides_in_different_cells_merge(server: SheetsServer,
                                                      tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    server.state.edit(key, "Integrantes", "B3", "Club deportivo")  # a colleague, in Sheets
    wb = load_workbook(path)
    wb["Integrantes"]["D4"] = 5000  # the coordinator, in Excel
    wb.save(path)
    report = sync(path, key, make_client(server), "subir")
    assert (report.to_remote, report.to_local) == (1, 1)
    assert remote_value(server, key, "Integrantes", "D4") == {"numberValue": 5000}
    assert remote_value(server, key, "Integrantes", "B3") == {"stringValue": "Club deportivo"}
    assert local_value(path, "Integrantes", "B3") == "Club deportivo"
    assert report.saved is not None and report.saved.exists()
    # Nothing changed since: a second sync writes nothing anywhere.
    again = sync(path, key, make_client(server), "bajar")
    assert (again.to_remote, again.to_local) == (0, 0)


def test_changes_from_the_sheet_reach_the_file_in_blocks_not_cell_by_cell(
        server: SheetsServer, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    for row in (2, 3, 4):  # a column of organisations…
        server.state.edit(key, "Integrantes", f"B{row}", f"Organización {row}")
    for col, value in zip("ABCD", ("Persona 9", "Olla común", 46100, 1009), strict=True):
        server.state.edit(key, "Integrantes", f"{col}6", value)  # …and a new row
    server.state.edit(key, "Integrantes", "F9", "suelta")
    http = make_client(server)
    report = sync(path, key, http, "bajar")
    assert report.to_local == 8 and report.local_writes == 3  # B2:B4, A6:D6, F9
    assert http.request_count == 2
    assert [local_value(path, "Integrantes", f"B{r}") for r in (2, 3, 4)] == [
        "Organización 2", "Organización 3", "Organización 4"]
    assert [local_value(path, "Integrantes", f"{c}6") for c in "ABCD"] == [
        "Persona 9", "Olla común", 46100, 1009]
    assert local_value(path, "Integrantes", "F9") == "suelta"


@pytest.mark.parametrize("direction", ["subir", "bajar"])
def test_a_cell_changed_on_both_sides_is_refused_and_nothing_is_written(
        server: SheetsServer, tmp_path: Path, direction: str) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    server.state.edit(key, "Integrantes", "A2", "Rosa Pérez")
    wb = load_workbook(path)
    wb["Integrantes"]["A2"] = "Rosa P."
    wb["Integrantes"]["D3"] = 7  # a change that alone would go through
    wb.save(path)
    before = path.read_bytes()
    state_before = state_path(path).read_bytes()
    with pytest.raises(SyncConflicts) as caught:
        sync(path, key, make_client(server), direction)  # type: ignore[arg-type]
    [conflict] = caught.value.conflicts
    assert conflict.spanish() == ("Integrantes!A2: en el archivo «Rosa P.», en la planilla de "
                                  "Google «Rosa Pérez» (antes «Persona 1»)")
    assert path.read_bytes() == before and state_path(path).read_bytes() == state_before
    assert remote_value(server, key, "Integrantes", "D3") == {"numberValue": 1001}


def test_forzar_lets_the_command_side_win_and_lists_what_it_overwrote(
        server: SheetsServer, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    server.state.edit(key, "Integrantes", "A2", "Rosa Pérez")
    wb = load_workbook(path)
    wb["Integrantes"]["A2"] = "Rosa P."
    wb.save(path)
    report = sync(path, key, make_client(server), "bajar", force=True)
    assert [c.spanish() for c in report.overwritten] == [
        "Integrantes!A2: en el archivo «Rosa P.», en la planilla de Google «Rosa Pérez» "
        "(antes «Persona 1»)"]
    assert local_value(path, "Integrantes", "A2") == "Rosa Pérez"


# --- retries --------------------------------------------------------------------------------------

def test_429_with_retry_after_is_retried_honouring_the_wait(server: SheetsServer,
                                                            tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sleeps: list[float] = []
    http = make_client(server, sleeps)
    server.state.fail_next(429, times=2, retry_after=7)
    sync(path, key, http, "subir")
    assert [entry.status for entry in http.log[:3]] == [429, 429, 200]
    assert len(sleeps) == 2 and all(7 <= s <= http.policy.max_wait for s in sleeps)


def test_quota_errors_give_up_after_bounded_tries_with_a_spanish_message(
        server: SheetsServer, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    sleeps: list[float] = []
    http = make_client(server, sleeps)
    server.state.fail_next(503, times=50)
    before = path.read_bytes()
    with pytest.raises(MingaError, match="sigue respondiendo «503»") as caught:
        sync(path, key, http, "subir")
    assert "Espere unos minutos" in str(caught.value)
    assert http.request_count == http.policy.tries and len(sleeps) == http.policy.tries - 1
    policy = http.policy  # exponential with jitter: the n-th wait within [b·2ⁿ/2, b·2ⁿ]
    for n, wait in enumerate(sleeps):
        ceiling = min(policy.base * 2 ** n, policy.max_wait)
        assert ceiling / 2 <= wait <= ceiling
    assert path.read_bytes() == before


def test_a_client_error_is_never_retried(server: SheetsServer, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    http = make_client(server)
    with pytest.raises(MingaError, match="No existe la planilla de Google"):
        sync(path, "no-existe-esta-planilla", http, "subir")
    assert http.request_count == 1


# --- the command line ---------------------------------------------------------------------------

def _minga(server: SheetsServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINGA_SHEETS_API": server.url, "MINGA_GOOGLE_TOKEN": TOKEN}
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def test_cli_push_conflict_and_forzar(server: SheetsServer, tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "libro.xlsx")
    key = new_spreadsheet(server)
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    first = _minga(server, "sheets", "subir", str(path), "--hoja", url)
    assert first.returncode == 0, first.stderr
    assert "Hojas creadas en la planilla: Integrantes" in first.stdout
    assert "4 solicitudes a Google" in first.stdout
    server.state.edit(key, "Integrantes", "B2", "Sindicato de feriantes")
    wb = load_workbook(path)
    wb["Integrantes"]["B2"] = "Junta de vecinos N° 3"
    wb.save(path)
    refused = _minga(server, "sheets", "subir", str(path), "--hoja", key)
    assert refused.returncode == 1
    assert "Conflicto: 1 celda(s) cambiaron" in refused.stderr
    assert "Integrantes!B2: en el archivo «Junta de vecinos N° 3», en la planilla de Google " \
           "«Sindicato de feriantes»" in refused.stderr
    assert "Traceback" not in refused.stderr and TOKEN not in refused.stderr + refused.stdout
    forced = _minga(server, "sheets", "subir", str(path), "--hoja", key, "--forzar")
    assert forced.returncode == 0, forced.stderr
    assert "--forzar: ganó el archivo en 1 celda cambiada" in forced.stdout
    assert remote_value(server, key, "Integrantes", "B2") == \
        {"stringValue": "Junta de vecinos N° 3"}
    pulled = _minga(server, "sheets", "bajar", key, "-o", str(tmp_path / "otro.xlsx"))
    assert pulled.returncode == 2 and "Programa" in pulled.stderr  # not a minga workbook


def test_validar_hoja_writes_the_validacion_tab_and_marks_into_the_sheet(
        server: SheetsServer, tmp_path: Path) -> None:
    source = tmp_path / "demo.xlsx"
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["inventario"][0]["cantidad"] = -2  # INV-02
    build_demo(source, plant=False, data=data)
    key = new_spreadsheet(server)
    sync(source, key, make_client(server), "subir")
    http = make_client(server)
    cells = copy.deepcopy(server.state.books[key].sheet("Inventario").cells)
    result = validate_sheet(key, http, write=True, cutoff=CUTOFF)
    assert http.request_count <= MAX_REQUESTS
    inv = next(f for f in result.findings if f.rule == "INV-02")
    from gspread.utils import a1_to_rowcol

    row, col = a1_to_rowcol(inv.cell)
    before = cells.get((row - 1, col - 1), {})
    book = server.state.books[key]
    tab = book.sheet("Validación")
    texts = [c.get("userEnteredValue", {}).get("stringValue") for c in tab.cells.values()]
    assert "INV-02" in texts
    marked = server.state.cell(key, inv.sheet, inv.cell)
    assert "INV-02" in marked.get("note", "")
    assert marked["userEnteredFormat"]["backgroundColor"]["red"] == 1
    # The CLI says the same and exits 1 (errors found).
    cli = _minga(server, "validar", "--hoja", key, "--fecha-corte", f"{CUTOFF:%Y-%m-%d}",
                 "--json")
    assert cli.returncode == 1, cli.stderr
    assert '"rule": "INV-02"' in cli.stdout
    # Fixed in the Sheet, validated again: the mark is gone, the cell as it was before.
    server.state.edit(key, inv.sheet, inv.cell, 2)
    again = make_client(server)
    second = validate_sheet(key, again, write=True, cutoff=CUTOFF)
    assert again.request_count <= MAX_REQUESTS
    assert not [f for f in second.findings if f.rule == "INV-02"]
    cleared = server.state.cell(key, inv.sheet, inv.cell)
    assert "note" not in cleared
    assert cleared.get("userEnteredFormat", {}).get("backgroundColor") == \
        before.get("userEnteredFormat", {}).get("backgroundColor")
    assert server.state.violations == []
