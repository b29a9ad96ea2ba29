"""`minga nuevo`: the workbook re-read from disk has every sheet, table, list and dated row."""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from addin.actions.build import build_file
from addin.actions.record import RECORD_SHEET
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar, schedule
from addin.layouts.ecomercado import (
    ECOMERCADO_LAYOUTS,
    GANTT,
    INFORMES,
    INVENTARIO,
    PROGRAMA,
    SEGUIMIENTO_COMUNICACIONES,
    SEGUIMIENTO_TRABAJO,
    VALIDACION,
)
from addin.layouts.model import ColumnType, column_letter, locate_header
from addin.sheets.palette import OVERDUE, STATUS_FILLS
from tests.conftest import CUTOFF, START

SHEETS_ES = ["Programa", "Carta Gantt", "Seguimiento Plan de Trabajo",
             "Seguimiento Plan Comunicaciones", "Priorización", "Sesiones", "Integrantes",
             "Organizaciones", "Inventario", "Informes", "Verificadores", "Procedimiento interno",
             "Validación", "Listas"]


def as_date(value: object) -> date | None:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def gantt_rows(path: Path) -> dict[str, tuple]:
    ws = load_workbook(path)[GANTT.es]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    match = locate_header(rows, GANTT.columns)
    assert match is not None and match.row + 1 == GANTT.header_row
    c = match.columns
    out = {}
    for row in rows[match.row + 1:]:
        if row[c["codigo"]]:
            out[str(row[c["codigo"]])] = (row[c["actividad"]], as_date(row[c["inicio"]]),
                                          as_date(row[c["termino"]]))
    return out


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_workbook_has_every_sheet_in_order(built: dict[str, Path], variant: str) -> None:
    wb = load_workbook(built[variant])
    assert wb.sheetnames == [*SHEETS_ES, RECORD_SHEET]  # populated: minga's record, hidden
    assert wb[RECORD_SHEET].sheet_state == "hidden"
    assert wb["Listas"].sheet_state == "hidden"
    assert all(len(name) <= 31 for name in wb.sheetnames)


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_gantt_rows_are_dated_from_the_start(built: dict[str, Path], variant: str) -> None:
    definition = load_programme(variant)
    rows = gantt_rows(built[variant])
    for stage in definition.stages:
        assert rows[stage.code][0] == stage.name
    for item in schedule(definition, START):
        name, start, end = rows[item.activity.code]
        assert name == item.activity.name
        assert (start, end) == (item.start, item.end), item.activity.key
    cal = ConvenioCalendar(definition.calendar, START)
    impl = rows[definition.activity("implementacion_plan_trabajo").code]
    assert impl[1:] == (cal.execution_month_start(7), cal.execution_end)


def test_15m_reports_are_milestones_in_months_9_11_13(built: dict[str, Path]) -> None:
    rows = gantt_rows(built["ecomercado-15m"])
    cal = ConvenioCalendar(load_programme("ecomercado-15m").calendar, START)
    for code, month in (("4.5.1", 9), ("4.5.2", 11), ("4.5.3", 13)):
        _, start, end = rows[code]
        assert start == end == cal.execution_month_end(month)
    ws = load_workbook(built["ecomercado-15m"])[INFORMES.es]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    match = locate_header(values, INFORMES.columns)
    assert match is not None
    c = match.columns
    reports = [(r[c["n"]], r[c["mes"]], as_date(r[c["fecha_comprometida"]]), r[c["estado"]])
               for r in values[match.row + 1:] if r[c["n"]] is not None]
    assert reports == [(n, m, cal.execution_month_end(m), "Pendiente")
                       for n, m in ((1, 9), (2, 11), (3, 13))]


def test_programa_holds_start_cutoff_and_programme(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-10m"])[PROGRAMA.es]
    fields = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert fields["Programa"] == "ecomercado-10m"
    assert fields["Tipo de convenio"] == "10 meses"
    assert as_date(fields["Fecha de inicio del convenio"]) == START
    assert as_date(fields["Fecha de corte"]) == CUTOFF
    assert str(fields["Fecha de término del convenio"]).startswith("=IF(minga_inicio")


def test_list_sheets_are_excel_tables_with_dropdowns(built: dict[str, Path]) -> None:
    wb = load_workbook(built["ecomercado-15m"])
    definition = load_programme("ecomercado-15m")
    lists = wb["Listas"]
    for layout in ECOMERCADO_LAYOUTS:
        if layout.kind != "table" or layout.output_only:
            continue
        ws = wb[layout.es]
        assert list(ws.tables) == [layout.table_name]
        table = ws.tables[layout.table_name]
        assert table.ref.startswith(f"A{layout.header_row}:")
        header = [c.value for c in ws[layout.header_row]][:len(layout.columns)]
        assert header == [c.es for c in layout.columns]
        assert ws.freeze_panes == f"B{layout.first_data_row}"
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        for i, column in enumerate(layout.columns):
            if not column.has_list:
                continue
            letter = chr(65 + i)
            dvs = [dv for dv in ws.data_validations.dataValidation
                   if dv.type == "list" and any(
                       str(r).startswith(f"{letter}{layout.first_data_row}:")
                       for r in dv.sqref.ranges)]
            assert len(dvs) == 1, (layout.es, column.key)
            ref = dvs[0].formula1.split("!")[1].replace("$", "")
            values = [c.value for row in lists[ref] for c in row]
            if column.choices_from and column.choices_from.startswith("scopes:"):
                plan = {p.key: p for p in definition.plans}[column.choices_from[7:]]
                assert values == list(plan.scopes)
            elif column.choices_from == "session_types":
                assert values == [s.label for s in definition.session_types]
            else:
                assert values == list(column.allowed)


def test_computed_columns_hold_formulas(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])["Inventario"]
    assert ws["G4"].value == '=IF(OR(D4="",F4=""),"",D4*F4)'
    assert ws["F4"].number_format == '"$"#,##0'
    assert ws["H4"].number_format == "dd-mm-yyyy"


def test_english_workbook_uses_english_names_and_still_populates(tmp_path: Path) -> None:
    path = build_file(load_programme("ecomercado-10m"), tmp_path / "en.xlsx", start=START,
                      lang="en")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Programme", "Gantt Chart", "Work Plan Monitoring"]
    ws = wb["Gantt Chart"]
    header = [c.value for c in ws[GANTT.header_row]][:len(GANTT.columns)]
    assert header == [c.en for c in GANTT.columns]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    first = next(r for r in rows if r[0] == "1.1")
    assert as_date(first[3]) == date(2026, 4, 2)


def test_template_without_start_has_blank_dates(tmp_path: Path) -> None:
    path = build_file(load_programme("ecomercado-15m"), tmp_path / "t.xlsx")
    rows = gantt_rows(path)
    assert rows["1.1"][1:] == (None, None)
    assert isinstance(rows["1"][1], str) and rows["1"][1].startswith("=IF(COUNT(")


# --- the workbook's look (issue 6, items 13–18) ---------------------------------------------

def test_every_font_in_styles_is_named_and_sized(built: dict[str, Path]) -> None:
    """A font without a name makes LibreOffice and Google Sheets fall back to a serif face."""
    with zipfile.ZipFile(built["ecomercado-15m"]) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fonts = styles.find(f"{{{MAIN}}}fonts")
    assert fonts is not None and len(fonts) > 3
    for font in fonts:
        assert font.find(f"{{{MAIN}}}name") is not None, ElementTree.tostring(font)
        assert font.find(f"{{{MAIN}}}sz") is not None, ElementTree.tostring(font)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def pixels(width: float) -> int:
    """A column's width on screen at 100 % in Excel (Calibri 11: 7 px a unit)."""
    return int(width * 7 + 0.5)


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_gantt_prints_on_letter_landscape_one_page_tall(built: dict[str, Path],
                                                        variant: str) -> None:
    ws = load_workbook(built[variant])[GANTT.es]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 1  # Letter, not Legal
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 0  # as many pages across as needed
    assert setup.fitToHeight in (None, 1)  # one page tall (1 is the default when left out)
    assert ws.print_title_cols == "$A:$B"  # N° and name on every page
    assert ws.print_title_rows == "$5:$9"
    # Page breaks only between months, each page within the printable width.
    breaks = [b.id for b in ws.col_breaks.brk]
    left = len(GANTT.columns)
    assert breaks and all((b - left) % 4 == 0 for b in breaks)


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_gantt_rows_fill_the_printed_page(built: dict[str, Path], variant: str) -> None:
    """Rows are sized so the chart fills a Letter landscape page (540 pt at 100 %) without
    shrinking it below 89 % (so 9-point text prints at 8 points or more)."""
    ws = load_workbook(built[variant])[GANTT.es]
    heights = [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)
               if not ws.row_dimensions[r].hidden]
    assert all(h for h in heights)  # every row sized explicitly
    total = sum(heights)
    assert 0.9 * 540 <= total <= 540 / 0.89


def test_gantt_shows_forty_weeks_beside_the_frozen_columns_on_a_laptop(
        built: dict[str, Path]) -> None:
    """At 100 % on a 1366 px screen (minus row headers and scroll bar), the left block and
    forty weeks are in view; only N° and the name stay frozen."""
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    assert ws.freeze_panes == f"C{GANTT.header_row + 1}"
    left = len(GANTT.columns)
    widths = [ws.column_dimensions[column_letter(c)].width for c in range(left + 40)]
    assert sum(pixels(w) for w in widths) <= 1366 - 60


def test_gantt_ventana_wraps_inside_its_column(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    col = column_letter(GANTT.index("ventana"))
    first = GANTT.header_row + 1
    cells = [ws[f"{col}{r}"] for r in range(first, ws.max_row + 1) if ws[f"A{r}"].value]
    long = [c for c in cells if c.value and len(c.value) > 15]
    assert long and all(c.alignment.wrap_text for c in long)


def test_gantt_rules_draw_the_cutoff_marker_before_the_bars(built: dict[str, Path]) -> None:
    """The first true rule wins in LibreOffice and Sheets: the marker must come first."""
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    body = f"{column_letter(len(GANTT.columns))}{GANTT.header_row + 1}"
    rules = sorted((rule for cf in ws.conditional_formatting for rule in cf.rules
                    if any(str(r).startswith(body) for r in cf.sqref.ranges)),
                   key=lambda rule: rule.priority)
    assert "$D$4" in rules[0].formula[0] and "$D$4" in rules[1].formula[0]


def test_gantt_months_are_labelled_in_spanish_by_formula(built: dict[str, Path]) -> None:
    from addin.sheets.gantt import MONTH_DATE_ROW

    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    label = ws.cell(row=MONTH_DATE_ROW, column=len(GANTT.columns) + 1).value
    assert '"ene","feb","mar","abr"' in label and "CHOOSE(MONTH(" in label


def test_gantt_input_cells_are_unlocked_and_formulas_protected(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    assert ws.protection.sheet and not ws.protection.password
    assert ws["D3"].protection.locked and ws["D4"].protection.locked
    assert str(ws["D3"].value).startswith("=") and str(ws["D4"].value).startswith("=")
    rows = {ws[f"A{r}"].value: r for r in range(GANTT.header_row + 1, ws.max_row + 1)}
    activity, stage = rows["1.1"], rows["1"]
    for key in ("responsable", "inicio", "termino", "avance"):
        letter = column_letter(GANTT.index(key))
        assert not ws[f"{letter}{activity}"].protection.locked, key
    for key in ("inicio", "termino", "avance", "dias"):
        assert ws[f"{column_letter(GANTT.index(key))}{stage}"].protection.locked, key
    assert ws[f"{column_letter(GANTT.index('dias'))}{activity}"].protection.locked


def test_gantt_milestones_carry_a_diamond(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    rows = {ws[f"A{r}"].value: r for r in range(GANTT.header_row + 1, ws.max_row + 1)}
    name = ws[f"B{rows['4.5.1']}"]
    assert name.number_format == '"◆ "@'
    week = ws.cell(row=rows["4.5.1"], column=len(GANTT.columns) + 1).value
    assert '"◆"' in week


def test_stage_progress_is_weighted_by_days(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])[GANTT.es]
    stage = next(r for r in range(GANTT.header_row + 1, ws.max_row + 1) if ws[f"A{r}"].value
                 == "4")
    formula = ws[f"{column_letter(GANTT.index('avance'))}{stage}"].value
    assert "SUMPRODUCT(F" in formula


@pytest.mark.parametrize("layout", [t for t in ECOMERCADO_LAYOUTS if t.kind == "table"],
                         ids=lambda t: t.key)
def test_matrix_headers_fit_their_words_and_data_wraps_top(built: dict[str, Path],
                                                         layout) -> None:
    ws = load_workbook(built["ecomercado-15m"])[layout.es]
    header = layout.header_row
    for c, column in enumerate(layout.columns):
        letter = column_letter(c)
        width = ws.column_dimensions[letter].width
        longest = max(column.es.split(), key=len)
        # Calibri 11 bold averages about half an em: the longest word fits whole.
        assert width >= len(longest) * 11 * 0.5 / 5.25 + 0.8, (layout.key, column.es)
        data = ws[f"{letter}{header + 1}"]
        assert data.alignment.wrap_text and data.alignment.vertical == "top", column.key
        if column.type in (ColumnType.DATE, ColumnType.INTEGER, ColumnType.BOOL,
                           ColumnType.PERCENT):
            assert data.alignment.horizontal == "center", column.key
        # Rows typed later look the same: the column carries the style.
        assert ws.column_dimensions[letter].alignment.wrap_text, column.key
    # The header row is at least as tall as its longest header needs, counted loosely (0.42
    # em a character, no words carried over): a fixed 32 pt cut three-line headers.
    widths = [ws.column_dimensions[column_letter(c)].width for c in range(len(layout.columns))]
    lines = max(math.ceil(len(c.es) * 11 * 0.42 / (w * 5.25))
                for c, w in zip(layout.columns, widths, strict=True))
    assert ws.row_dimensions[header].height >= 15 * lines


def test_matrix_rows_are_as_tall_as_their_wrapped_text(tmp_path: Path) -> None:
    from addin.actions.build import write_workbook
    from addin.backends.openpyxl_backend import OpenpyxlBackend

    long = "Vincular con la red local de apoyo comunitario y con las juntas de vecinos " * 2
    path = tmp_path / "w.xlsx"
    backend = OpenpyxlBackend.create(path)
    write_workbook(backend, load_programme("ecomercado-15m"), data={
        SEGUIMIENTO_TRABAJO.key: [{"n": 1, "objetivo": long}, {"n": 2, "objetivo": "Corto"}]})
    backend.save()
    ws = load_workbook(path)[SEGUIMIENTO_TRABAJO.es]
    first = SEGUIMIENTO_TRABAJO.first_data_row
    assert ws.row_dimensions[first].height >= 15 * 5  # 150 characters in a 30-wide column
    assert ws.row_dimensions[first + 1].height in (None, 15)


@pytest.mark.parametrize("layout", [SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES],
                         ids=lambda t: t.key)
def test_seguimiento_rows_are_coloured_by_status_and_overdue_first(
        built: dict[str, Path], layout) -> None:
    ws = load_workbook(built["ecomercado-15m"])[layout.es]
    first = layout.first_data_row
    rules = sorted((rule for cf in ws.conditional_formatting for rule in cf.rules
                    if any(str(r).startswith(f"A{first}:") for r in cf.sqref.ranges)),
                   key=lambda rule: rule.priority)
    status = f"${column_letter(layout.index('estado'))}{first}"
    due = f"${column_letter(layout.index('fecha_limite'))}{first}"
    assert due in rules[0].formula[0] and "minga_fecha_corte" in rules[0].formula[0]
    assert rules[0].dxf.fill.fgColor.rgb == "FF" + OVERDUE
    fills = {rule.formula[0]: rule.dxf.fill.fgColor.rgb for rule in rules[1:]}
    assert fills == {f'{status}="{k}"': "FF" + v for k, v in STATUS_FILLS.items()}
    bars = [rule for cf in ws.conditional_formatting for rule in cf.rules
            if rule.type == "dataBar"]
    avance = column_letter(layout.index("avance"))
    assert [str(cf.sqref) for cf in ws.conditional_formatting
            if cf.rules[0].type == "dataBar"] == [f"{avance}{first}:{avance}{first + 1999}"]
    assert bars


def test_inventario_has_a_live_total_above_the_table(built: dict[str, Path]) -> None:
    ws = load_workbook(built["ecomercado-15m"])[INVENTARIO.es]
    first, last = INVENTARIO.first_data_row, INVENTARIO.first_data_row + 1999
    letter = column_letter(INVENTARIO.index("valor_total"))
    assert ws[f"{letter}2"].value == f"=SUBTOTAL(109,{letter}{first}:{letter}{last})"
    assert ws[f"{letter}2"].number_format == '"$"#,##0'
    assert ws[f"{column_letter(INVENTARIO.index('valor_total') - 1)}2"].value == "Total:"
    assert ws.freeze_panes == f"B{first}"  # the total stays in view


def test_output_only_cells_have_no_dropdown(built: dict[str, Path]) -> None:
    wb = load_workbook(built["ecomercado-15m"])
    assert not wb[VALIDACION.es].data_validations.dataValidation
    for layout in ECOMERCADO_LAYOUTS:
        if layout.kind != "table":
            continue
        ws = wb[layout.es]
        for c, column in enumerate(layout.columns):
            if not column.formula:
                continue
            letter = column_letter(c)
            assert not [dv for dv in ws.data_validations.dataValidation
                        if any(str(r).startswith(f"{letter}{layout.first_data_row}")
                               for r in dv.sqref.ranges)], (layout.key, column.key)
