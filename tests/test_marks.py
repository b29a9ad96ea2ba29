"""`validar --escribir` marks cells without ever destroying the user's work (issue 6 item 1,
issue 14 points 3 and 9, issue 6 item 18): the template's notes, a user's note and a user's
fill survive any number of runs; marks are undone from the workbook's own record; the cost
follows the marked cells; what is written stays inside Excel's limits."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color

from addin.actions.marks import HEADER, SEPARATOR, remark
from addin.actions.record import RECORD_SHEET, Record
from addin.actions.validate import validate, validate_file, write_findings
from addin.backends.base import (
    MARK_FILLS,
    MAX_CELL_TEXT,
    MAX_NOTE_TEXT,
    MAX_ROW_HEIGHT,
    Mark,
)
from addin.backends.calamine_backend import CalamineBackend
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.demo import CUTOFF, build_demo, rut
from tests import libreoffice

ERROR, WARNING, _ = MARK_FILLS
NEUTRAL = "FFEB9C"  # Excel's built-in «Neutral» style fill — the same colour as a warning mark
BAD = "FFC7CE"  # Excel's «Malo» — the same colour as an error mark
USER_NOTE = "Rodrigo firma el lunes: lo confirmó por teléfono."


#: A header cell with the template's «Obligatorio.» note that a finding flags (LECTURA-02 of a
#: renamed column points at the header row; whole-sheet rule findings no longer do: issue 6
#: item 12).
TEMPLATE_CELL = ("Inventario", "A3")


def notes(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): (c.comment.text, c.comment.author or "")
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment}


def fill_of(path: Path, sheet: str, cell: str) -> str | None:
    fill = load_workbook(path)[sheet][cell].fill
    return fill.start_color.rgb[2:] if fill.fill_type == "solid" else None


def excel_fill(rgb: str) -> PatternFill:
    """A solid fill as Excel writes one (opaque colour, background «automatic»)."""
    return PatternFill("solid", fgColor=Color(rgb="FF" + rgb), bgColor=Color(indexed=64))


def escribir(path: Path) -> None:
    validate_file(path, cutoff=CUTOFF, write=True, keep_backup=False)


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    """The demo workbook after a coordinator worked in it: a note of hers on a cell that will
    be flagged (INT-02, K13), Excel's «Neutral» on another (ORG-01, C10) and «Malo» on a cell
    nothing flags.  Inventario!A3 holds the template's «Obligatorio.» note; she renamed the
    header «Descripción», so LECTURA-02 (a missing column) flags that header row there."""
    path = tmp_path / "libro.xlsx"
    build_demo(path)
    wb = load_workbook(path)
    wb["Inventario"]["B3"] = "Detalle del bien"
    wb["Integrantes"]["K13"].comment = Comment(USER_NOTE, "Daniela")
    wb["Organizaciones"]["C10"].fill = excel_fill(NEUTRAL)
    wb["Inventario"]["B10"].fill = excel_fill(BAD)
    wb.save(path)
    return path


def test_template_notes_a_users_note_and_neutral_fill_survive_two_runs_with_a_fix_between(
        worked: Path) -> None:
    before = notes(worked)
    assert before[TEMPLATE_CELL][0].startswith("Obligatorio.")
    assert sum(text.startswith("Productos:") for text, _ in before.values()) >= 10

    escribir(worked)
    marked = notes(worked)
    text, author = marked[("Integrantes", "K13")]
    assert text.startswith(HEADER) and "[INT-02]" in text and author == "minga"
    assert text.endswith(f"{SEPARATOR}\n{USER_NOTE}")  # her note stays while the finding stands
    assert "[LECTURA-02]" in marked[TEMPLATE_CELL][0]
    assert marked[TEMPLATE_CELL][0].endswith(before[TEMPLATE_CELL][0])
    assert fill_of(worked, "Organizaciones", "C10") == ERROR
    assert fill_of(worked, "Inventario", "B10") == BAD  # not a mark: her «Malo» stays
    untouched = {k: v for k, v in before.items() if k not in marked or marked[k] == v}
    assert len(untouched) == len(before) - 2  # only the two flagged notes changed

    wb = load_workbook(worked)  # she fixes both findings
    wb["Integrantes"]["K13"] = "Sí"
    wb["Organizaciones"]["C10"] = rut(12345678)
    wb.save(worked)
    escribir(worked)

    after = notes(worked)
    assert after[("Integrantes", "K13")] == (USER_NOTE, "Daniela")
    assert fill_of(worked, "Organizaciones", "C10") == NEUTRAL
    assert fill_of(worked, "Inventario", "B10") == BAD
    stands = after[TEMPLATE_CELL][0]  # LECTURA-02 still stands: marked once, not twice
    assert stands.count("[LECTURA-02]") == 1 and stands.endswith(before[TEMPLATE_CELL][0])
    assert {k: v for k, v in after.items() if k != TEMPLATE_CELL and
            not v[0].startswith(HEADER)} == {k: v for k, v in before.items()
                                             if k != TEMPLATE_CELL}


def test_a_template_note_comes_back_whole_when_its_finding_goes_away(worked: Path) -> None:
    template = notes(worked)[TEMPLATE_CELL]
    escribir(worked)
    backend = OpenpyxlBackend.open(worked)
    record = Record.load(backend)
    remark(backend, record, {})  # no findings left: every mark undone
    record.save(backend)
    backend.save()
    assert notes(worked)[TEMPLATE_CELL] == template
    assert fill_of(worked, *TEMPLATE_CELL) == fill_of(worked, "Inventario", "C3")


def test_her_edits_to_a_marked_note_or_fill_win_over_the_restore(worked: Path) -> None:
    escribir(worked)
    wb = load_workbook(worked)
    k13 = wb["Integrantes"]["K13"]  # she adds a line to her part, keeping minga's text
    k13.comment = Comment(k13.comment.text + "\nY trae su carnet.", "minga")
    c10 = wb["Organizaciones"]["C10"]  # she rewrites the note and repaints the cell
    c10.comment = Comment("RUT pedido al SII.", "Daniela")
    c10.fill = excel_fill("C6EFCE")
    wb["Integrantes"]["K13"].value = "Sí"
    wb["Organizaciones"]["C10"].value = rut(12345678)
    wb.save(worked)
    escribir(worked)
    after = notes(worked)
    assert after[("Integrantes", "K13")] == (f"{USER_NOTE}\nY trae su carnet.", "Daniela")
    assert after[("Organizaciones", "C10")] == ("RUT pedido al SII.", "Daniela")
    assert fill_of(worked, "Organizaciones", "C10") == "C6EFCE"


def test_a_deleted_mark_note_stays_deleted(worked: Path) -> None:
    escribir(worked)
    wb = load_workbook(worked)
    wb["Integrantes"]["K13"].comment = None
    wb["Integrantes"]["K13"].value = "Sí"
    wb.save(worked)
    escribir(worked)
    assert ("Integrantes", "K13") not in notes(worked)


def test_theme_and_pattern_fills_and_merged_cells_come_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    backend = OpenpyxlBackend.create(path)
    backend.add_sheet("S")
    backend.write_block("S", "A1", [["a", "b", "c", "d"]])
    ws = backend.workbook["S"]
    ws["A1"].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.5999938962981048))
    ws["B1"].fill = PatternFill("darkGrid", fgColor="FF00B050", bgColor="FFFFFF00")
    ws.merge_cells("C1:D2")
    ws["C1"].comment = Comment("celda combinada", "Ana")
    backend.save()
    original = {c: (ws[c].fill.fgColor, ws[c].fill.bgColor, ws[c].fill.fill_type)
                for c in ("A1", "B1", "C1")}

    backend = OpenpyxlBackend.open(path)
    record = Record.load(backend)
    remark(backend, record, {"S": [Mark("A1:B1", fill=ERROR, note="[X-01] algo"),
                                   Mark("D2", fill=WARNING, note="[X-02] combinada")]})
    record.save(backend)
    backend.save()
    ws = load_workbook(path)["S"]
    assert ws["A1"].fill.fgColor.rgb == ws["B1"].fill.fgColor.rgb == "FF" + ERROR
    assert "[X-02] combinada" in ws["C1"].comment.text  # the cell a merged range shows
    assert ws["C1"].comment.text.endswith("celda combinada")

    backend = OpenpyxlBackend.open(path)
    record = Record.load(backend)
    remark(backend, record, {})
    record.save(backend)
    backend.save()
    ws = load_workbook(path)["S"]
    assert {c: (ws[c].fill.fgColor, ws[c].fill.bgColor, ws[c].fill.fill_type)
            for c in ("A1", "B1", "C1")} == original
    assert (ws["C1"].comment.text, ws["C1"].comment.author) == ("celda combinada", "Ana")
    assert ws["A1"].comment is None


def test_a_mark_moved_by_inserted_rows_is_marked_again_not_nested(worked: Path) -> None:
    escribir(worked)
    wb = load_workbook(worked)
    wb["Integrantes"].insert_rows(5)  # the marked K13 moves to K14, the record still says K13
    wb.save(worked)
    escribir(worked)
    text, _ = notes(worked)[("Integrantes", "K14")]
    assert text.count(HEADER) == 1 and text.count("[INT-02]") == 1
    assert text.count(USER_NOTE) == 1 and text.endswith(f"{SEPARATOR}\n{USER_NOTE}")
    assert ("Integrantes", "K13") not in notes(worked)


def test_a_tampered_record_never_breaks_validation_nor_paints_other_cells(worked: Path) -> None:
    """The record is data from the workbook: rows that do not parse are ignored, a mark whose
    colour is no longer on its cell leaves the cell alone, and a fill token is never parsed as
    a document with declarations (no XML entity is ever expanded)."""
    escribir(worked)
    wb = load_workbook(worked)
    wb["Integrantes"]["A1"].fill = excel_fill("FFFFFF")
    ws = wb[RECORD_SHEET]
    junk = [["marca", "Integrantes", "ZZZZ99", None, None, "x", ERROR, "y", "z", ""],
            ["marca", "No existe", "A1", None, None, "x", ERROR, "", "", ""],
            ["marca", "Inventario", "B10", None, None, None, WARNING, None, None, "00B050"],
            ["marca", "Integrantes", "A1", None, None, None, "FFFFFF",
             None, None, 'xlsx:<!DOCTYPE x [<!ENTITY a "b">]><fill>&a;</fill>'],
            ["marca", "Integrantes", "A1048576", None, None, "x", ERROR, None, None, None],
            ["fecha", "Carta Gantt", "E12", "gantt/2.1/inicio", "no es fecha"],
            [None, "", "", 3.5]]
    for row in junk:
        ws.append(row)
    wb.save(worked)
    escribir(worked)
    assert fill_of(worked, "Inventario", "B10") == BAD  # not the colour the row claims
    assert fill_of(worked, "Integrantes", "A1") is None  # the forged token: no fill, no error
    wb = load_workbook(worked)
    assert wb[RECORD_SHEET].sheet_state == "hidden"
    assert wb["Integrantes"].max_row < 100  # a forged far cell created nothing


def test_marks_of_a_minga_without_record_are_taken_off(worked: Path) -> None:
    """A workbook marked by minga 0.1: no record; notes of author «minga» ending in
    «[RULE] message / → fix» lines (appended to the template's note), mark fills."""
    escribir(worked)
    wb = load_workbook(worked)
    del wb[RECORD_SHEET]
    a3 = wb["Inventario"]["A3"]
    template = "Obligatorio."
    a3.comment = Comment(f"{template}\n[LECTURA-02] Falta la columna.\n→ Agréguela.", "minga")
    k13 = wb["Integrantes"]["K13"]
    k13.comment = Comment("[INT-02] Sin firma.\n→ Firme.", "minga")
    k13.fill = excel_fill(ERROR)
    k13.value = "Sí"
    wb.save(worked)
    escribir(worked)
    after = notes(worked)
    assert ("Integrantes", "K13") not in after
    assert fill_of(worked, "Integrantes", "K13") is None
    assert after[TEMPLATE_CELL][0].endswith(f"{SEPARATOR}\n{template}")


def test_a_stray_value_in_the_last_row_costs_what_the_filled_cells_cost(
        tmp_path: Path) -> None:
    """Issue 14.3: clearing marks walked every row (3 min, 5 GiB, a million rows written)."""
    path = tmp_path / "lejos.xlsx"
    build_demo(path)
    wb = load_workbook(path)
    wb["Integrantes"]["A1048576"] = "x"
    wb.save(path)
    size = path.stat().st_size
    result = validate(CalamineBackend(path), cutoff=CUTOFF)
    for _ in range(2):  # the second run clears the first run's marks
        backend = OpenpyxlBackend.open(path)
        write_findings(backend, result)
        backend.save()
    assert path.stat().st_size < 2 * size
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read(_sheet_part(archive, "Integrantes")).decode()
    assert sheet.count("<row ") < 100  # the rows with data, not a million empty ones


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="(rId\d+)"', workbook)
    assert rid is not None
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) \
        or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target is not None
    return "xl/" + target.group(1).removeprefix("/xl/")


def test_what_escribir_writes_stays_within_excel_limits(tmp_path: Path) -> None:
    """Issue 14.9: a 32,767-character value quoted by a finding, on a cell with a 32,000-
    character note of hers, and a control character a hostile file smuggles in."""
    path = tmp_path / "largo.xlsx"
    build_demo(path, plant=False)
    wb = load_workbook(path)
    ws = wb["Inventario"]
    ws["D4"] = "9" * MAX_CELL_TEXT  # Cantidad: not a number a person could mean
    long_note = "Historia del bien. " * 1684  # 31,996 characters
    ws["D4"].comment = Comment(long_note, "Daniela")
    ws["D5"] = "_x0001_abc"  # calamine reads it as "\x01abc": illegal in a cell's XML
    wb.save(path)
    escribir(path)

    wb = load_workbook(path)
    note = wb["Inventario"]["D4"].comment.text
    assert len(note) <= MAX_NOTE_TEXT and note.endswith("…") and note.startswith(HEADER)
    val = wb["Validación"]
    rows = list(val.iter_rows(min_row=4))
    assert all(len(str(c.value or "")) <= MAX_CELL_TEXT for row in rows for c in row)
    long_row = next(row for row in rows if row[3].value == "D4")
    assert str(long_row[5].value).endswith("…")
    assert all((val.row_dimensions[r].height or 0) <= MAX_ROW_HEIGHT
               for r in range(4, val.max_row + 1))
    assert any("\ufffdabc" in str(row[5].value) for row in rows)
    assert all(len(name) <= 31 for name in wb.sheetnames)

    wb["Inventario"]["D4"] = 3
    wb["Inventario"]["D5"] = 1
    wb.save(path)
    escribir(path)
    assert notes(path)[("Inventario", "D4")] == (long_note, "Daniela")  # whole again


def test_links_and_rows_past_excels_limits_are_left_out_with_a_closing_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """65,530 links a sheet, 1,048,576 rows: shrunk here so the test stays small."""
    import addin.actions.validate as validate_module

    path = tmp_path / "muchos.xlsx"
    build_demo(path)
    monkeypatch.setattr(validate_module, "MAX_LINKS_PER_SHEET", 3)
    monkeypatch.setattr(validate_module, "MAX_ROWS", validate_module.VALIDACION.first_data_row + 5)
    escribir(path)
    ws = load_workbook(path)["Validación"]
    rows = [r for r in ws.iter_rows(min_row=4) if r[0].value or r[5].value]
    assert len(rows) == 6 and rows[-1][5].value.startswith("… y 9 hallazgos más")
    assert sum(1 for r in rows if r[3].hyperlink is not None) == 3


def test_validacion_sits_next_to_programa_and_the_workbook_opens_on_it(worked: Path) -> None:
    for _ in range(2):
        escribir(worked)
        wb = load_workbook(worked)
        assert wb.sheetnames[:2] == ["Programa", "Validación"]
        assert wb.sheetnames[-1] == RECORD_SHEET and wb[RECORD_SHEET].sheet_state == "hidden"
        assert wb.active.title == "Validación"
        assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Validación"]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_after_two_runs_with_her_notes_and_fills_back(
        worked: Path, tmp_path: Path) -> None:
    template = notes(worked)
    escribir(worked)
    # She opens and saves the marked workbook in LibreOffice, then fixes a finding.
    saved = libreoffice.convert(worked, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo1")
    wb = load_workbook(saved)
    wb["Integrantes"]["K13"] = "Sí"
    wb["Organizaciones"]["C10"] = rut(12345678)
    wb.save(saved)
    escribir(saved)
    final = libreoffice.convert(saved, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo2")

    after = notes(final)
    assert after[("Integrantes", "K13")][0] == USER_NOTE
    assert fill_of(final, "Organizaciones", "C10") == NEUTRAL
    assert fill_of(final, "Inventario", "B10") == BAD
    gantt = {k: v[0] for k, v in template.items() if k[0] == "Carta Gantt"}
    assert {k: after[k][0] for k in gantt} == gantt
    wb = load_workbook(final)
    assert wb.active.title == "Validación" and wb.sheetnames[1] == "Validación"
    pdf = libreoffice.convert(final, "pdf", tmp_path / "pdf")
    assert libreoffice.pdf_page_with(pdf, "Resultado de la validación") >= 1
