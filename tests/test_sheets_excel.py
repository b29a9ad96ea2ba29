"""Excel's «Sincronizar» button: the workbook open in Excel ⇄ its Google Sheet (issue 7).

Two stand-ins, each for what cannot run here: Excel (``tests/xlwings_standin.py``, which
counts every call that would cross to Excel) and Google's servers (``tests/sheets_server.py``,
spoken to by gspread's real client over real HTTP on 127.0.0.1).  The workbook in Excel is a
real file minga wrote and linked with ``sync`` (what ``minga sheets subir`` runs), loaded as
Excel shows it; the button reaches the server through the environment variables a user sets.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from addin import excel
from sync.actions import sync
from sync.auth import SERVICE_ENV, TOKEN_ENV, USER_ENV
from sync.http import API_ENV
from sync.merge import UNSYNCED, SyncState, blocks, state_path
from tests.sheets_fixtures import TOKEN, make_client, new_spreadsheet, serving
from tests.sheets_server import SheetsServer
from tests.xlwings_standin import Book


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsServer]:
    """The local Sheets server, and the environment a user sets for the button."""
    with serving() as srv:
        for name in (SERVICE_ENV, USER_ENV, "GOOGLE_APPLICATION_CREDENTIALS"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(API_ENV, srv.url)
        monkeypatch.setenv(TOKEN_ENV, TOKEN)
        yield srv


def linked_workbook(server: SheetsServer, folder: Path) -> tuple[Path, str]:
    """A saved workbook with a formula column, pushed once to a new Sheet (the link)."""
    path = folder / "libro.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Integrantes"
    ws.append(["Nombre", "Organización", "Ingreso", "Aporte", "Doble"])
    for n in range(3):
        ws.append([f"Persona {n + 1}", "Junta de vecinos", date(2026, 3, 2 + n), 1000 + n,
                   f"=D{n + 2}*2"])
    wb.save(path)
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    return path, key


def remote(server: SheetsServer, key: str, ref: str) -> object:
    return server.state.cell(key, "Integrantes", ref).get("userEnteredValue")


def requests_for(server: SheetsServer, key: str) -> list[tuple[str, str]]:
    return [(method, path.split(key, 1)[1]) for method, path, _ in server.state.log
            if key in path]


def test_sincronizar_merges_edits_of_both_sides_in_blocks_and_saves_the_book(
        server: SheetsServer, tmp_path: Path) -> None:
    path, key = linked_workbook(server, tmp_path)
    # A colleague in Sheets: a column of three organisations and a new member's row.
    for row, org in ((2, "Club deportivo"), (3, "Taller laboral"), (4, "Comité de salud")):
        server.state.edit(key, "Integrantes", f"B{row}", org)
    for col, value in zip("ABCD", ("Persona 4", "Olla común", 46100, 1003), strict=True):
        server.state.edit(key, "Integrantes", f"{col}6", value)
    # The coordinator, in Excel, meanwhile: one member's contribution.
    book = Book.from_openpyxl(path)
    book.sheet("Integrantes").put(3, 4, 5000)
    before = len(server.state.log)

    text = excel.sincronizar(book)

    assert text is not None, book.app.alerts
    assert "Celdas llevadas a la planilla: 1; traídas al libro: 7." in text
    assert "El libro quedó guardado (respaldo: libro.respaldo-" in text
    grid = book.grid("Integrantes")
    assert [r[1] for r in grid[1:4]] == ["Club deportivo", "Taller laboral", "Comité de salud"]
    assert grid[5][:4] == ["Persona 4", "Olla común", 46100.0, 1003.0]
    assert remote(server, key, "D3") == {"numberValue": 5000}
    # Excel: one value read and one formula read of the sheet, one write per block (the
    # column B2:B4 and the row A6:D6), one save; nothing per cell.
    assert book.calls["read:Integrantes"] == 1 and book.calls["read_formula:Integrantes"] == 1
    assert book.calls["write"] == 2 and book.calls["save"] == 1
    # Google: open, read every value, write the values: a constant three requests.
    assert requests_for(server, key)[-3:] == [("GET", ""), ("GET", "/values:batchGet"),
                                              ("POST", "/values:batchUpdate")]
    assert len(server.state.log) - before == 3
    # The state beside the file is what both sides hold now: a second press changes nothing.
    state = SyncState.load(path, key)
    assert state is not None and state.sheets["Integrantes"][(2, 3)] == 5000
    assert state.sheets["Integrantes"][(5, 1)] == "Olla común"
    book.calls.clear()
    again = excel.sincronizar(book)
    assert again is not None and "llevadas a la planilla: 0; traídas al libro: 0." in again
    assert book.calls["write"] == 0 and "respaldo" not in again


def last_text_cell(book: Book, sheet: str) -> tuple[int, int]:
    """(row, column), 1-based, of the last row's first text: a user's entry, not a header."""
    grid = book.grid(sheet)
    row = max(r for r, line in enumerate(grid) if any(isinstance(v, str) for v in line))
    col = next(c for c, v in enumerate(grid[row]) if isinstance(v, str))
    return row + 1, col + 1


def test_sincronizar_on_a_minga_workbook_reads_each_synced_sheet_once(
        server: SheetsServer, tmp_path: Path) -> None:
    from gspread.utils import rowcol_to_a1

    from addin.demo import build_demo

    path = tmp_path / "ecomercado.xlsx"
    build_demo(path)
    key = new_spreadsheet(server)
    sync(path, key, make_client(server), "subir")
    book = Book.from_openpyxl(path)
    theirs = last_text_cell(book, "Inventario")
    mine = last_text_cell(book, "Organizaciones")
    server.state.edit(key, "Inventario", rowcol_to_a1(*theirs), "Carpa plegable 3x3")
    book.sheet("Organizaciones").put(*mine, "Taller de costura Las Añañucas")
    formulas = {s.name: dict(s.formulas) for s in book.sheets}

    text = excel.sincronizar(book)

    assert text is not None, book.app.alerts
    assert "Celdas llevadas a la planilla: 1; traídas al libro: 1." in text
    assert book.sheet("Inventario").get(*theirs) == "Carpa plegable 3x3"
    assert server.state.cell(key, "Organizaciones", rowcol_to_a1(*mine))[
        "userEnteredValue"] == {"stringValue": "Taller de costura Las Añañucas"}
    synced = [s.name for s in book.sheets if s.name not in UNSYNCED]
    assert len(synced) >= 10
    assert {s: book.calls[f"read:{s}"] for s in synced} == dict.fromkeys(synced, 1)
    assert {s: book.calls[f"read_formula:{s}"] for s in synced} == dict.fromkeys(synced, 1)
    assert book.calls["read"] == book.calls["read_formula"] == len(synced)  # Validación: 0
    assert book.calls["write"] == 1 and book.calls["save"] == 1
    assert {s.name: s.formulas for s in book.sheets} == formulas  # the template's, untouched


def test_a_conflict_lists_the_cells_in_excel_and_writes_nothing(server: SheetsServer,
                                                                 tmp_path: Path) -> None:
    path, key = linked_workbook(server, tmp_path)
    server.state.edit(key, "Integrantes", "A2", "Rosa Pérez")
    book = Book.from_openpyxl(path)
    book.sheet("Integrantes").put(2, 1, "Rosa P.")
    book.sheet("Integrantes").put(3, 4, 7)  # alone it would go through
    state = state_path(path).read_bytes()
    file = path.read_bytes()

    assert excel.sincronizar(book) is None

    [alert] = book.app.alerts
    assert alert["mode"] == "critical"
    assert "1 celda(s) cambiaron en el archivo y también en la planilla de Google" in \
        alert["prompt"]
    assert ("Integrantes!A2: en el archivo «Rosa P.», en la planilla de Google «Rosa Pérez» "
            "(antes «Persona 1»)") in alert["prompt"]
    assert "vuelva a pulsar Sincronizar" in alert["prompt"]
    assert "Traceback" not in alert["prompt"] and TOKEN not in alert["prompt"]
    assert book.calls["write"] == 0 and book.calls["save"] == 0
    assert remote(server, key, "D3") == {"numberValue": 1001}
    assert state_path(path).read_bytes() == state and path.read_bytes() == file


def test_a_formula_typed_in_excel_is_not_sent_to_the_sheet_as_its_result(
        server: SheetsServer, tmp_path: Path) -> None:
    path, key = linked_workbook(server, tmp_path)
    book = Book.from_openpyxl(path)
    sheet = book.sheet("Integrantes")
    sheet.formulas[(2, 6)] = "=D2+1"  # typed in Excel after the link, calculated
    sheet.data[(2, 6)] = 1001.0
    sheet.put(5, 1, "'=no es fórmula")  # text that only looks like one (typed '=…)

    text = excel.sincronizar(book)

    assert text is not None, book.app.alerts
    assert remote(server, key, "F2") is None
    assert remote(server, key, "A5") == {"stringValue": "=no es fórmula"}
    # The template's formulas stay formulas on both sides.
    assert sheet.formulas[(2, 5)] == "=D2*2"
    assert remote(server, key, "E2") == {"formulaValue": "=D2*2"}


def test_when_excel_cannot_save_the_book_the_next_press_settles_the_state(
        server: SheetsServer, tmp_path: Path) -> None:
    path, key = linked_workbook(server, tmp_path)
    server.state.edit(key, "Integrantes", "B2", "Club deportivo")
    book = Book.from_openpyxl(path)
    state = state_path(path).read_bytes()

    def refuse(path: str | None = None) -> None:
        raise OSError("el archivo es de solo lectura")

    book.save = refuse  # type: ignore[method-assign]
    assert excel.sincronizar(book) is None
    [alert] = book.app.alerts
    assert "Excel no pudo guardar el libro (el archivo es de solo lectura)" in alert["prompt"]
    assert "vuelva a pulsar Sincronizar" in alert["prompt"]
    assert state_path(path).read_bytes() == state  # the state never runs ahead of the file
    del book.save  # Excel can save again
    text = excel.sincronizar(book)
    assert text is not None and "llevadas a la planilla: 0; traídas al libro: 0." in text
    assert remote(server, key, "B2") == {"stringValue": "Club deportivo"}
    settled = SyncState.load(path, key)
    assert settled is not None and settled.sheets["Integrantes"][(1, 1)] == "Club deportivo"


def test_an_unsaved_workbook_is_told_to_be_saved_and_linked_first(server: SheetsServer) -> None:
    book = Book("Libro1")
    book.sheets.add("Hoja1")
    assert excel.sincronizar(book) is None
    [alert] = book.app.alerts
    assert alert["prompt"].startswith("El libro no está guardado en el disco")
    assert "minga sheets subir LIBRO.xlsx --hoja URL" in alert["prompt"]
    assert not server.state.log


def test_a_workbook_never_linked_is_told_the_one_command_that_links_it(
        server: SheetsServer, tmp_path: Path) -> None:
    path = tmp_path / "suelto.xlsx"
    Workbook().save(path)
    book = Book.from_openpyxl(path)
    assert excel.sincronizar(book) is None
    [alert] = book.app.alerts
    assert "«suelto.xlsx» todavía no está enlazado con una planilla de Google" in alert["prompt"]
    assert f"minga sheets subir \"{path}\" --hoja URL_DE_LA_PLANILLA" in alert["prompt"]
    assert not server.state.log


def test_missing_credentials_say_which_variable_to_set(server: SheetsServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = linked_workbook(server, tmp_path)
    monkeypatch.delenv(TOKEN_ENV)
    book = Book.from_openpyxl(path)
    before = len(server.state.log)
    assert excel.sincronizar(book) is None
    [alert] = book.app.alerts
    assert "Faltan las credenciales de Google para sincronizar." in alert["prompt"]
    assert f"setx {SERVICE_ENV}" in alert["prompt"]
    assert len(server.state.log) == before and book.calls["write"] == 0


def test_changed_cells_are_grouped_into_rectangles_never_bridging_unchanged_ones() -> None:
    cells = {(0, 0): "a", (0, 1): "b", (1, 0): "c", (1, 1): "d",  # a 2×2 block
             (1, 3): "aislada",  # alone (D2), not joined over C2
             (4, 2): 1, (5, 2): 2, (6, 2): 3,  # a column run C5:C7
             (9, 0): "x", (9, 1): "y", (9, 2): "z"}  # a row run A10:C10
    assert blocks(cells) == [((0, 0), [["a", "b"], ["c", "d"]]), ((1, 3), [["aislada"]]),
                             ((4, 2), [[1], [2], [3]]), ((9, 0), [["x", "y", "z"]])]
    assert blocks({}) == []
