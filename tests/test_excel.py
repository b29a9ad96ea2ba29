"""The Excel buttons (issue 7): the xlwings backend and the RunPython entry points.

Excel cannot run here, so these run against ``tests/xlwings_standin.py``, an in-memory
stand-in for xlwings' Book/Sheet/Range that follows xlwings' documented behaviour and counts
every call that would cross to Excel (the one mock of the Excel application).  The workbook in
it is a real one minga wrote, loaded as Excel would show it.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import addin
from addin import excel
from addin.backends.xlwings_backend import XlwingsBackend, unions
from addin.demo import CUTOFF, build_demo
from addin.domain.programme import load_programme
from addin.domain.schedule import schedule
from addin.layouts.acciones import ACTA, NUDOS
from addin.layouts.ecomercado import (
    GANTT,
    ORGANIZACIONES,
    PROGRAMA,
    SEGUIMIENTO_TRABAJO,
    VALIDACION,
)
from addin.layouts.model import locate_header
from tests.xlwings_standin import Book

RECIPIENT = "Junta de Vecinos Villa Esperanza"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("excel") / "demo.xlsx"
    build_demo(path)
    return path


@pytest.fixture
def book(demo_file: Path) -> Book:
    return Book.from_openpyxl(demo_file)


def reads_per_sheet(book: Book) -> dict[str, int]:
    return {k.split(":", 1)[1]: v for k, v in book.calls.items() if k.startswith("read:")}


def rows_of(book: Book, layout):
    rows = book.grid(layout.es)
    match = locate_header(rows, layout.columns)
    assert match is not None
    return match.row, match.columns, rows


def only_alert(book: Book) -> dict:
    assert len(book.app.alerts) == 1, book.app.alerts
    return book.app.alerts[0]


# --- the backend ---------------------------------------------------------------------------

def test_a_sheet_is_read_with_one_call_from_a1_even_when_its_used_range_starts_further(book):
    sheet = book.sheets.add("Suelta")
    sheet.range("C4").value = [[1, "dos"], [None, 4.5]]
    book.calls.clear()
    rows = XlwingsBackend(book).read_values("Suelta")
    assert rows == [[], [], [], [None, None, 1, "dos"], [None, None, None, 4.5]]
    assert book.calls["read"] == 1


def test_user_text_that_looks_like_a_formula_is_written_as_text(book):
    backend = XlwingsBackend(book)
    backend.add_sheet("Textos")
    backend.write_block("Textos", "A1", [["=HYPERLINK(\"http://x\")", "+56 9 1234", "'cita"]])
    assert book.grid("Textos") == [["=HYPERLINK(\"http://x\")", "+56 9 1234", "'cita"]]
    assert not book.sheet("Textos").formulas
    assert book.calls["write"] == 1


def test_fills_go_to_a_union_of_cells_per_colour():
    cells = [f"A{i}" for i in range(1, 200)]
    joined = unions(cells)
    assert ",".join(joined) == ",".join(cells)
    assert all(len(a) <= 250 for a in joined) and len(joined) < len(cells) / 10


# --- the buttons ---------------------------------------------------------------------------

def test_carta_gantt_button_dates_the_gantt_reading_each_sheet_once(book):
    sheet = book.sheet(GANTT.es)
    head, c, rows = rows_of(book, GANTT)
    for r in range(head + 1, len(rows)):  # blank every date
        for key in ("inicio", "termino"):
            sheet.put(r + 1, c[key] + 1, None)
    book.calls.clear()

    text = addin.carta_gantt(book)

    assert text is not None and "Carta Gantt poblada" in text
    assert only_alert(book)["mode"] == "info"
    assert max(reads_per_sheet(book).values()) == 1
    head, c, rows = rows_of(book, GANTT)
    by_code = {str(r[c["codigo"]]): r for r in rows[head + 1:] if r[c["codigo"]]}
    definition = load_programme("ecomercado-15m")
    start = next(r[1] for r in book.grid(PROGRAMA.es) if r and r[0] ==
                 PROGRAMA.column("inicio").es)
    for s in schedule(definition, start.date()):
        row = by_code[s.activity.code]
        assert (row[c["inicio"]].date(), row[c["termino"]].date()) == (s.start, s.end)
    # dates go in blocks (a run of rows per column), not cell by cell
    assert book.calls[f"write:{GANTT.es}"] < len(definition.activities) / 2


def test_seguimiento_button_marks_atrasada_and_lists_knots_reading_each_sheet_once(book):
    text = addin.seguimiento(book)
    assert text is not None and "Atrasada" in text
    assert only_alert(book)["mode"] == "info"
    assert max(reads_per_sheet(book).values()) == 1
    head, c, rows = rows_of(book, SEGUIMIENTO_TRABAJO)
    assert "Atrasada" in {r[c["estado"]] for r in rows[head + 1:] if len(r) > c["estado"]}
    head, c, rows = rows_of(book, NUDOS)
    knots = [r for r in rows[head + 1:] if r[c["accion"]]]
    assert knots and all(r[c["motivo"]] for r in knots)
    assert book.sheet(NUDOS.es).links  # each knot links to its row
    assert book.calls[f"write:{NUDOS.es}"] == 1  # the summary in one block


def test_acta_button_builds_the_acta_from_the_recipient_named_in_inventario(book):
    text = addin.acta_traspaso(book)
    assert text is not None and RECIPIENT in text
    assert max(reads_per_sheet(book).values()) == 1
    grid = book.grid(ACTA.es)
    total_row = next(r for r in grid if r and r[0] == "Total de los bienes traspasados")
    lines = [r for r in grid if r and isinstance(r[0], float) and len(r) > 5
             and isinstance(r[5], float)]
    assert total_row[5] == sum(r[3] * r[4] for r in lines) > 0
    assert book.calls[f"write:{ACTA.es}"] == 1
    assert book.active is book.sheet(ACTA.es)


def test_acta_button_refuses_an_inactive_recipient_with_a_spanish_message_box(book):
    _, c, rows = rows_of(book, ORGANIZACIONES)
    r = next(i for i, row in enumerate(rows) if row and RECIPIENT in row)
    book.sheet(ORGANIZACIONES.es).put(r + 1, c["activa"] + 1, "No")
    names_before = [s.name for s in book.sheets]

    assert addin.acta_traspaso(book) is None  # no exception escapes

    alert = only_alert(book)
    assert alert["mode"] == "critical"
    assert "no figura activa" in alert["prompt"] and "Organizaciones" in alert["prompt"]
    assert "Traceback" not in alert["prompt"]
    assert [s.name for s in book.sheets] == names_before  # nothing written


def test_validar_button_writes_validacion_and_marks_cells_in_bulk(book):
    text = addin.validar(book)
    assert text is not None and "Validación" in text
    assert max(reads_per_sheet(book).values()) == 1
    head, c, rows = rows_of(book, VALIDACION)
    findings = [r for r in rows[head + 1:] if r and r[c["regla"]]]
    assert findings
    marked = {s.name: s for s in book.sheets}
    notes = sum(1 for s in marked.values() for text in s.notes.values()
                if text.startswith("[minga]"))
    assert notes > 0
    assert book.sheet(VALIDACION.es).links
    assert book.active is book.sheet(VALIDACION.es)


def test_an_unexpected_error_ends_in_a_message_box_not_a_traceback(book, monkeypatch):
    def broken(*_a, **_k):
        raise ZeroDivisionError("división por cero")

    monkeypatch.setattr("addin.actions.gantt.populate_gantt", broken)
    assert addin.carta_gantt(book) is None
    alert = only_alert(book)
    assert alert["mode"] == "critical" and "Error interno de minga" in alert["prompt"]
    assert "ZeroDivisionError" in alert["prompt"]


def test_a_workbook_without_programa_gets_a_message_naming_the_sheet():
    book = Book()
    book.sheets.add("Hoja1")
    assert addin.seguimiento(book) is None
    assert "Programa" in only_alert(book)["prompt"]


def test_nuevo_button_creates_and_opens_a_new_workbook_beside_the_open_one(demo_file, tmp_path):
    book = Book.from_openpyxl(demo_file)
    book.fullname = str(tmp_path / "mi-libro.xlsx")
    text = addin.nuevo(book)
    assert text is not None
    assert book.app.books.opened == [str(tmp_path / "ecomercado-15m.xlsx")]
    assert (tmp_path / "ecomercado-15m.xlsx").is_file()


def test_import_addin_stays_cheap_and_exposes_the_buttons():
    code = ("import sys, addin; assert 'addin.excel' not in sys.modules; "
            "assert 'openpyxl' not in sys.modules; assert 'xlwings' not in sys.modules; "
            "f = addin.validar; assert 'xlwings' not in sys.modules; print(f.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "addin.excel"
    assert set(excel.BUTTONS) == set(addin._BUTTONS)


def test_the_cutoff_written_in_programa_is_the_one_used(book):
    addin.seguimiento(book)
    assert f"{CUTOFF:%d-%m-%Y}" in only_alert(book)["prompt"]
    assert date.today() != CUTOFF


def test_a_ribbon_button_works_on_the_active_workbook_not_on_the_add_in(book):
    addin_book = Book("C:/Users/ana/AppData/Roaming/Microsoft/Excel/XLSTART/minga.xlam")
    addin_book.app.books.active = book
    assert XlwingsBackend.target(addin_book) is book
    addin_book.app.books.active = None
    assert addin.validar(addin_book) is None
    assert "No hay un libro abierto" in addin_book.app.alerts[0]["prompt"]
