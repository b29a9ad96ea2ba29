"""New workbooks are written with XlsxWriter (``XlsxWriterBackend``), fast; the book a user gets
must be the one ``OpenpyxlBackend`` made: every sheet, cell value, look, merge, dropdown, rule,
table, width, height, note, print setting and name the same, as openpyxl reads them back."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from addin.actions.build import build_file, write_workbook
from addin.actions.identity import embed_programme
from addin.actions.populate import populate_gantt
from addin.backends.base import (
    Annotation,
    Backend,
    Formula,
    Link,
    SheetFormat,
    Style,
    Styled,
    Validation,
)
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.backends.xlsxwriter_backend import XlsxWriterBackend
from addin.domain.programme import builtin_ids, load_programme

START, CUTOFF = date(2026, 3, 2), date(2026, 11, 24)


def _color(color: Any) -> str | None:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _look(cell: Any) -> tuple:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    solid = fill.fill_type not in (None, "none")
    return (
        cell.number_format,
        (font.name, float(font.sz or 11), bool(font.b), bool(font.i), _color(font.color),
         font.u or None),
        _color(fill.fgColor) if solid else None,
        tuple((getattr(border, s).style, _color(getattr(border, s).color)
               if getattr(border, s).style else None)
              for s in ("left", "right", "top", "bottom")),
        # Bottom is where text sits when a file says nothing (XlsxWriter leaves it out).
        (align.horizontal, align.vertical or "bottom", bool(align.wrap_text),
         int(align.text_rotation or 0), int(align.indent or 0)),
        cell.protection.locked,
    )


def _number(text: str | None) -> Any:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return text


def describe(path: Path) -> dict[str, Any]:
    """Everything of a workbook a user sees or a program relies on, as openpyxl reads it."""
    book = load_workbook(path)
    found: dict[str, Any] = {
        "sheets": [(ws.title, ws.sheet_state) for ws in book.worksheets],
        "names": {n: d.attr_text for n, d in book.defined_names.items()},
        "active": book.active.title,
    }
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                cells[cell.coordinate] = (value, _look(cell))
        # Widths to Excel's precision, 1/256 of a character (XlsxWriter rounds to it).
        dims = {letter: (round(d.width * 256) if d.width else None, d.hidden,
                         _look(d) if d.style_id else None)
                for letter, d in ws.column_dimensions.items() if d.customWidth or d.style_id}
        setup, margins = ws.page_setup, ws.page_margins
        found[ws.title] = {
            # Cells that exist in one file only (blank, unstyled) are compared as read.
            "cells": {k: v for k, v in cells.items() if v != (None, _look(ws["ZZ1000"]))},
            "columns": dims,
            "rows": {r: (d.height, bool(d.hidden)) for r, d in ws.row_dimensions.items()
                     if d.height or d.hidden},
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted(
                (dv.type, str(dv.sqref), dv.formula1 if dv.type == "list" else
                 _number(dv.formula1), _number(dv.formula2), dv.operator or "between",
                 bool(dv.allow_blank), bool(dv.showErrorMessage), dv.errorStyle or "stop",
                 dv.errorTitle, dv.error, bool(dv.showInputMessage), dv.promptTitle, dv.prompt)
                for dv in ws.data_validations.dataValidation),
            "rules": sorted(
                (str(cf.sqref), rule.priority, rule.type, rule.formula, bool(rule.stopIfTrue),
                 _color(rule.dxf.fill.fgColor) if rule.dxf and rule.dxf.fill else None,
                 (bool(rule.dxf.font.b), _color(rule.dxf.font.color))
                 if rule.dxf and rule.dxf.font else None,
                 rule.dxf.border.left.style if rule.dxf and rule.dxf.border else None,
                 (_color(rule.dataBar.color), [(v.type, _number(v.val))
                                               for v in rule.dataBar.cfvo])
                 if rule.dataBar else None)
                for cf in ws.conditional_formatting for rule in cf.rules),
            "tables": sorted((t.name, t.ref, t.tableStyleInfo.name,
                              bool(t.tableStyleInfo.showRowStripes),
                              [c.name for c in t.tableColumns]) for t in ws.tables.values()),
            "notes": {c: (cell.comment.text, cell.comment.author) for c, (_, _) in cells.items()
                      if (cell := ws[c]).comment},
            "links": {c: ws[c].hyperlink.location for c in cells if ws[c].hyperlink},
            "freeze": ws.freeze_panes,
            "print": (setup.orientation, setup.paperSize, bool(ws.sheet_properties.pageSetUpPr
                                                              and ws.sheet_properties
                                                              .pageSetUpPr.fitToPage),
                      1 if setup.fitToWidth is None else setup.fitToWidth,
                      1 if setup.fitToHeight is None else setup.fitToHeight,
                      ws.print_title_rows, ws.print_title_cols,
                      [b.id for b in ws.col_breaks.brk], bool(ws.print_options.horizontalCentered),
                      (margins.left, margins.right, margins.top, margins.bottom),
                      ws.oddHeader.center.text, ws.oddFooter.right.text),
            "view": (ws.sheet_view.showGridLines is not False, ws.sheet_view.zoomScale,
                     _color(ws.sheet_properties.tabColor)),
            "protection": (bool(ws.protection.sheet), bool(ws.protection.formatCells),
                           bool(ws.protection.formatColumns), bool(ws.protection.formatRows),
                           bool(ws.protection.objects)),
        }
    return found


def _openpyxl_build(path: Path, pid: str, start: date | None) -> Path:
    """The workbook as ``build_file`` made it with openpyxl before XlsxWriter."""
    definition = load_programme(pid)
    backend = OpenpyxlBackend.create(path)
    write_workbook(backend, definition)
    embed_programme(backend, definition)
    if start is not None:
        populate_gantt(backend, definition, start, CUTOFF)
    backend.save()
    return path


def _differences(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(new.keys() | old.keys()):
        a, b = new.get(key), old.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            for part in sorted(a.keys() | b.keys(), key=str):
                if a.get(part) != b.get(part):
                    if isinstance(a.get(part), dict) and isinstance(b.get(part), dict):
                        inner = [k for k in a[part].keys() | b[part].keys()
                                 if a[part].get(k) != b[part].get(k)]
                        out += [f"{key} {part} {k}: {a[part].get(k)!r} ≠ {b[part].get(k)!r}"
                                for k in sorted(inner, key=str)[:5]]
                    else:
                        out.append(f"{key} {part}: {a.get(part)!r} ≠ {b.get(part)!r}")
        elif a != b:
            out.append(f"{key}: {a!r} ≠ {b!r}")
    return out


@pytest.mark.parametrize("pid", ["ecomercado-15m", "conecta-peru"])
@pytest.mark.parametrize("start", [START, None], ids=["poblado", "plantilla"])
def test_new_workbook_is_the_one_openpyxl_made(pid: str, start: date | None,
                                               tmp_path: Path) -> None:
    new = build_file(load_programme(pid), tmp_path / "xlsxwriter.xlsx", start=start,
                     cutoff=CUTOFF if start else None)
    old = _openpyxl_build(tmp_path / "openpyxl.xlsx", pid, start)
    assert not _differences(describe(new), describe(old))


def test_every_builtin_template_is_the_one_openpyxl_made(tmp_path: Path) -> None:
    for pid in builtin_ids():
        new = build_file(load_programme(pid), tmp_path / f"{pid}-new.xlsx")
        old = _openpyxl_build(tmp_path / f"{pid}-old.xlsx", pid, None)
        assert not _differences(describe(new), describe(old)), pid


def test_a_users_own_programme_travels_in_the_new_workbook(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "addin" / "programmes" / "ecomercado-10m.yaml"
    own = tmp_path / "mi-programa.yaml"
    own.write_text(source.read_text(encoding="utf-8").replace(
        "Ecomercados Solidarios", "Mi ecomercado"), encoding="utf-8")
    definition = load_programme(str(own))
    new = build_file(definition, tmp_path / "nuevo.xlsx", start=START)
    old = tmp_path / "old.xlsx"
    backend = OpenpyxlBackend.create(old)
    write_workbook(backend, definition)
    embed_programme(backend, definition)
    populate_gantt(backend, definition, START)
    backend.save()
    assert "minga-programa" in load_workbook(new).sheetnames
    assert not _differences(describe(new), describe(old))


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    definition = load_programme("ecomercado-15m")
    first = build_file(definition, tmp_path / "a.xlsx", start=START)
    second = build_file(definition, tmp_path / "b.xlsx", start=START)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core and "minga" in core


def test_text_that_looks_like_a_formula_or_a_link_stays_text(tmp_path: Path) -> None:
    """No formula injection: only ``Formula`` values become formulas."""
    backend = XlsxWriterBackend.create(tmp_path / "x.xlsx")
    backend.add_sheet("Datos")
    hostile = ["=HYPERLINK(\"http://x\",\"clic\")", "+1+2", "-3", "@SUM(A1)",
               "http://ejemplo.cl", "0123", "1e5"]
    backend.write_block("Datos", "A1", [[text] for text in hostile] + [[Formula("=1+1")]])
    backend.save()
    ws = load_workbook(tmp_path / "x.xlsx")["Datos"]
    assert [ws.cell(row=r, column=1).data_type for r in range(1, 8)] == ["s"] * 7
    assert [ws.cell(row=r, column=1).value for r in range(1, 8)] == hostile
    assert ws["A8"].value == "=1+1" and ws["A8"].data_type == "f"
    assert not ws["A5"].hyperlink
    rows = CalamineWorkbook.from_path(str(tmp_path / "x.xlsx")).get_sheet_by_name(
        "Datos").to_python()
    assert [r[0] for r in rows[:7]] == hostile


def test_backend_reads_back_what_it_wrote_and_marks_cells(tmp_path: Path) -> None:
    backend = XlsxWriterBackend.create(tmp_path / "x.xlsx")
    assert isinstance(backend, Backend)
    backend.add_sheet("Uno")
    backend.add_sheet("Dos")
    backend.write_block("Uno", "B2", [[1, "a", date(2026, 3, 2)], [None, Formula("=B2*2"), True]])
    backend.format_sheet("Uno", SheetFormat(
        styles=[Styled("B2:D3", Style(fill="FFC7CE", bold=True))], merges=["B3:C3"],
        validations=[Validation("B2:B9", "whole", minimum=0, maximum=10)],
        links=[Link("C2", "Dos", "A1")]))
    assert backend.read_values("Uno") == [
        [None, None, None, None], [None, 1, "a", date(2026, 3, 2)], [None, None, None, True]]
    backend.write_annotations("Uno", {"D2": Annotation(note="Revise", author="minga",
                                                       fill="FFEB9C")})
    assert backend.read_annotations("Uno", ["D2", "B2", "A9"]) == {
        "D2": Annotation("Revise", "minga", "FFEB9C"), "B2": Annotation(fill="FFC7CE"),
        "A9": Annotation()}
    backend.move_sheet("Dos", None)
    backend.activate("Uno")
    backend.save()
    book = load_workbook(tmp_path / "x.xlsx")
    assert book.sheetnames == ["Dos", "Uno"] and book.active.title == "Uno"
    ws = book["Uno"]
    assert ws["D2"].comment.text == "Revise" and ws["D2"].fill.fgColor.rgb == "FFFFEB9C"
    assert ws["D2"].number_format == "dd-mm-yyyy" and ws["B2"].font.b
    assert ws["C2"].hyperlink.location == "'Dos'!A1"
    assert [str(m) for m in ws.merged_cells.ranges] == ["B3:C3"]


def test_formulas_keep_their_text_and_new_functions_get_excels_prefix(tmp_path: Path) -> None:
    """Formulas that differ only in references are prepared once per shape; a function Excel
    added later still gets the prefix Excel needs, in every row."""
    backend = XlsxWriterBackend.create(tmp_path / "x.xlsx")
    backend.add_sheet("Datos")
    rows = [[Formula(f"=IF(B{r}>0,SUM($B$1:B{r}),\"\")"),
             Formula(f"=XLOOKUP(B{r},C1:C9,D1:D9)")] for r in range(1, 4)]
    backend.write_block("Datos", "A1", rows)
    backend.save()
    with zipfile.ZipFile(tmp_path / "x.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    for r in range(1, 4):
        assert f"<f>IF(B{r}&gt;0,SUM($B$1:B{r}),\"\")</f>" in xml
        assert f'ref="B{r}">_xlfn.XLOOKUP(B{r},C1:C9,D1:D9)</f>' in xml
