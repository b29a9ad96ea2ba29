"""The Verificadores and Procedimiento interno sheets (issue 12 §2), built from the definition.

Real .xlsx files written by `minga nuevo` / `minga poblar`, re-read with openpyxl, recalculated
and rendered by LibreOffice.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from addin.actions.build import build_file
from addin.actions.populate import populate_file
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar
from addin.domain.verifiers import due_date, required_documents
from addin.layouts.ecomercado import PROCEDIMIENTO, PROGRAMA, VERIFICADORES
from addin.layouts.model import locate_form
from addin.sheets.palette import OVERDUE, STATUS_FILLS
from tests import libreoffice

STATES = ("Entregado", "Aprobado", "No aplica")  # coloured; «Pendiente» only when overdue

START = date(2026, 3, 2)
VARIANTS = ("ecomercado-10m", "ecomercado-15m")
FIRST = VERIFICADORES.first_data_row


def col(key: str) -> int:
    """1-based column of a Verificadores field."""
    return VERIFICADORES.index(key) + 1


def as_date(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plantillas")
    return {v: build_file(load_programme(v), folder / f"{v}.xlsx") for v in VARIANTS}


def rows_of(path: Path, layout_name: str, width: int, values: bool = False) -> list[tuple]:
    ws = load_workbook(path, data_only=values)[layout_name]
    return [r[:width] for r in ws.iter_rows(min_row=FIRST, values_only=True) if r[0] is not None]


@pytest.mark.parametrize("variant", VARIANTS)
def test_one_row_per_required_document_of_each_activity(templates: dict[str, Path],
                                                        variant: str) -> None:
    definition = load_programme(variant)
    expected = [(doc.activity.code, doc.verifier.name) for doc in required_documents(definition)]
    rows = rows_of(templates[variant], VERIFICADORES.es, len(VERIFICADORES.columns))
    got = [(r[col("codigo") - 1], r[col("verificador") - 1]) for r in rows]
    assert got == expected
    assert {r[col("estado") - 1] for r in rows} == {"Pendiente"}
    # Attendance lists are per session (Sesiones), not documents of their own.
    assert not any(name.startswith("Lista") for _, name in got)


def test_the_10_and_15_month_variants_demand_different_documents(
        templates: dict[str, Path]) -> None:
    names = {v: [r[col("verificador") - 1] for r in rows_of(
        templates[v], VERIFICADORES.es, len(VERIFICADORES.columns))] for v in VARIANTS}
    only_15 = set(names["ecomercado-15m"]) - set(names["ecomercado-10m"])
    assert {"Acta que define la estructura municipal (con su cronograma o carta Gantt)",
            "Reglamento interno de la orgánica municipal",
            "Documento de funciones y atribuciones de cada actor"} <= only_15
    report = "Informe entregado y aprobado por FOSIS (acta de supervisión)"
    assert names["ecomercado-10m"].count(report) == 1
    assert names["ecomercado-15m"].count(report) == 3
    for v in VARIANTS:  # the documents both conventions share
        assert "Acta de traspaso del dominio de bienes (visada por fiscalía del FOSIS)" in names[v]
        assert "Ingreso de las variables de línea base (LB) al SNU" in names[v]


def test_state_dropdown_and_state_colours(templates: dict[str, Path]) -> None:
    wb = load_workbook(templates["ecomercado-15m"])
    ws = wb[VERIFICADORES.es]
    letter = ws.cell(row=FIRST, column=col("estado")).column_letter
    lists = [dv for dv in ws.data_validations.dataValidation
             if str(dv.sqref).startswith(f"{letter}{FIRST}")]
    assert len(lists) == 1 and lists[0].type == "list"
    source = lists[0].formula1.split("!")[1].replace("$", "")
    values = [c.value for row in wb["Listas"][source] for c in row]
    assert values == ["Pendiente", "Entregado", "Aprobado", "No aplica"]
    formulas = [rule.formula[0] for rng in ws.conditional_formatting for rule in rng.rules]
    for state in STATES:
        assert any(f'="{state}"' in f for f in formulas), state
    overdue = next(f for f in formulas if "minga_fecha_corte" in f)  # pendings past due
    assert all(f'<>"{state}"' in overdue for state in STATES)


def test_due_dates_are_formulas_of_the_start_date(templates: dict[str, Path],
                                                  tmp_path: Path) -> None:
    """The template's «Vence» recalculates from the start date typed in Programa."""
    path = tmp_path / "plantilla.xlsx"
    wb = load_workbook(templates["ecomercado-15m"])
    ws = wb[VERIFICADORES.es]
    assert str(ws.cell(row=FIRST, column=col("vence")).value).startswith('=IF(minga_inicio=""')
    form = wb[PROGRAMA.es]
    r, c = locate_form([list(row) for row in form.iter_rows(values_only=True)],
                       PROGRAMA)["inicio"]
    form.cell(row=r, column=c + 1, value=START)
    wb.save(path)
    recalculated = libreoffice.convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    rows = rows_of(recalculated, VERIFICADORES.es, len(VERIFICADORES.columns), values=True)
    definition = load_programme("ecomercado-15m")
    calendar = ConvenioCalendar(definition.calendar, START)
    expected = [due_date(calendar, doc.ref) for doc in required_documents(definition)]
    assert [as_date(r[col("vence") - 1]) for r in rows] == expected
    assert expected[0] == date(2026, 4, 2)  # the procedure: before socialising (EM1 starts)


def test_poblar_fills_the_due_dates_and_keeps_a_typed_one(templates: dict[str, Path],
                                                          tmp_path: Path) -> None:
    path = tmp_path / "libro.xlsx"
    wb = load_workbook(templates["ecomercado-10m"])
    typed = date(2026, 12, 1)  # a term the FOSIS regional extended, typed by hand
    wb[VERIFICADORES.es].cell(row=FIRST + 4, column=col("vence"), value=typed)
    wb.save(path)
    result, _ = populate_file(path, start=START, keep_backup=False)
    rows = rows_of(path, VERIFICADORES.es, len(VERIFICADORES.columns))
    definition = load_programme("ecomercado-10m")
    calendar = ConvenioCalendar(definition.calendar, START)
    expected = [due_date(calendar, doc.ref) for doc in required_documents(definition)]
    computed = expected[4]
    expected[4] = typed
    assert [as_date(r[col("vence") - 1]) for r in rows] == expected
    kept = [c for c in result.kept if c.sheet == VERIFICADORES.es]
    assert [(c.cell, c.new) for c in kept] == [(f"E{FIRST + 4}", computed)]  # and says so

    # A new start date moves minga's own due dates (it recorded them), never the typed one;
    # --reemplazar-fechas replaces that one too.
    later = date(2026, 4, 1)
    populate_file(path, start=later, keep_backup=False)
    moved = [as_date(r[col("vence") - 1]) for r in rows_of(path, VERIFICADORES.es, 9)]
    calendar = ConvenioCalendar(definition.calendar, later)
    fresh = [due_date(calendar, doc.ref) for doc in required_documents(definition)]
    assert moved == [*fresh[:4], typed, *fresh[5:]]
    populate_file(path, start=later, keep_backup=False, replace_dates=True)
    assert [as_date(r[col("vence") - 1]) for r in rows_of(path, VERIFICADORES.es, 9)] == fresh


def test_procedure_checklist_lists_what_the_procedure_must_contain(
        templates: dict[str, Path]) -> None:
    definition = load_programme("ecomercado-15m")
    ws = load_workbook(templates["ecomercado-15m"])[PROCEDIMIENTO.es]
    rows = [r for r in ws.iter_rows(min_row=PROCEDIMIENTO.first_data_row, values_only=True)
            if r[0] is not None]
    assert [r[1] for r in rows] == list(definition.internal_procedure_contents)
    assert {r[2] for r in rows} == {"No"}
    assert len(rows) == 10


def test_state_colours_render_in_libreoffice(tmp_path: Path) -> None:
    path = build_file(load_programme("ecomercado-15m"), tmp_path / "libro.xlsx", start=START,
                      cutoff=date(2026, 6, 1))
    wb = load_workbook(path)
    ws = wb[VERIFICADORES.es]
    for i, state in enumerate(("Aprobado", "Entregado", "No aplica")):
        ws.cell(row=FIRST + 1 + i, column=col("estado"), value=state)
    # Row FIRST stays «Pendiente» and is overdue at the cut-off (due 02-04-2026); the last
    # row stays «Pendiente», not yet due.
    wb.save(path)
    pdf = libreoffice.convert(path, "pdf", tmp_path / "pdf")
    page = libreoffice.pdf_page_with(pdf, "Verificadores: los documentos")
    png = libreoffice.render_page(pdf, page, tmp_path / "verificadores", dpi=60)
    colours = {rgb for _, rgb in Image.open(png).convert("RGB").getcolors(1 << 20)}
    for hex_colour in [OVERDUE, *(STATUS_FILLS[state] for state in STATES)]:
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        assert rgb in colours, hex_colour
