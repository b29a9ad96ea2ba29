"""`minga nuevo`: the workbook re-read from disk has every sheet, table, list and dated row."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.actions.build import build_file
from addin.actions.record import RECORD_SHEET
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar, schedule
from addin.layouts.ecomercado import ECOMERCADO_LAYOUTS, GANTT, INFORMES, PROGRAMA
from addin.layouts.model import locate_header
from tests.conftest import CUTOFF, START

SHEETS_ES = ["Programa", "Carta Gantt", "Seguimiento Plan de Trabajo",
             "Seguimiento Plan Comunicaciones", "Priorización", "Sesiones", "Integrantes",
             "Organizaciones", "Inventario", "Informes", "Validación", "Listas"]


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
        if layout.kind != "table":
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
