"""The actions behind the Excel buttons (issue 7), on real .xlsx files through openpyxl:
Carta Gantt, Seguimiento, Acta de traspaso (with its PDF through LibreOffice) and Validar."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.actions.acta import acta_file, generar_acta_traspaso, recipient_named
from addin.actions.build import build_file
from addin.actions.gantt import generar_carta_gantt
from addin.actions.seguimiento import actualizar_seguimiento, seguimiento_file
from addin.actions.validar import validar
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.demo import CUTOFF, build_demo
from addin.domain.programme import load_programme
from addin.domain.schedule import schedule
from addin.errors import MingaError
from addin.layouts.acciones import ACTA, NUDOS
from addin.layouts.ecomercado import (
    GANTT,
    INVENTARIO,
    ORGANIZACIONES,
    SEGUIMIENTO_COMUNICACIONES,
    SEGUIMIENTO_TRABAJO,
    VALIDACION,
)
from addin.layouts.model import locate_header
from tests import libreoffice

RECIPIENT = "Junta de Vecinos Villa Esperanza"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    build_demo(path)
    return path


def table(path: Path, layout, values_only: bool = True):
    """(header row index, columns, rows) of a sheet as openpyxl reads it."""
    ws = load_workbook(path)[layout.es]
    rows = [list(r) for r in ws.iter_rows(values_only=values_only)]
    match = locate_header(rows, layout.columns)
    assert match is not None
    return match.row, match.columns, rows


def _day(value):
    return value.date() if isinstance(value, datetime) else value


# --- Carta Gantt ---------------------------------------------------------------------------

def test_carta_gantt_button_dates_every_activity_and_keeps_rows_the_user_added(tmp_path):
    definition = load_programme("ecomercado-10m")
    path = build_file(definition, tmp_path / "libro.xlsx", start=date(2026, 3, 2))
    wb = load_workbook(path)
    ws = wb[GANTT.es]
    extra = ws.max_row + 1
    ws.cell(extra, 1, "9.9")
    ws.cell(extra, 2, "Feria de fin de año (agregada por el equipo)")
    wb.save(path)

    backend = OpenpyxlBackend.open(path)
    result = generar_carta_gantt(backend)
    backend.save()

    head, c, rows = table(path, GANTT)
    by_code = {str(r[c["codigo"]]): r for r in rows[head + 1:] if r[c["codigo"]]}
    for s in schedule(definition, date(2026, 3, 2)):
        row = by_code[s.activity.code]
        assert (_day(row[c["inicio"]]), _day(row[c["termino"]])) == (s.start, s.end)
    assert by_code["9.9"][c["actividad"]] == "Feria de fin de año (agregada por el equipo)"
    assert len(result.activities) == len(definition.activities)


def test_carta_gantt_button_without_start_date_says_where_to_write_it(tmp_path):
    path = build_file(load_programme("ecomercado-10m"), tmp_path / "plantilla.xlsx")
    with pytest.raises(MingaError) as caught:
        generar_carta_gantt(OpenpyxlBackend.open(path))
    assert "Falta la fecha de inicio" in str(caught.value)
    assert "Programa" in str(caught.value)


# --- Seguimiento ---------------------------------------------------------------------------

def _expected_late(path: Path, layout, cutoff: date) -> set[int]:
    head, c, rows = table(path, layout)
    late = set()
    for i, row in enumerate(rows[head + 1:], start=head + 2):
        start, days, status = _day(row[c["inicio"]]), row[c["plazo_dias"]], row[c["estado"]]
        if start and days and status not in ("Completada", "Suspendida") and \
                start + timedelta(days=int(days)) < cutoff:
            late.add(i)
    return late


def _plan_progress(path: Path, layout) -> float:
    head, c, rows = table(path, layout)
    total = weight = 0.0
    for row in rows[head + 1:]:
        if not row[c["accion"]] or row[c["estado"]] == "Suspendida":
            continue
        days = float(row[c["plazo_dias"]] or 1)
        done = row[c["avance"]]
        done = float(done) if done is not None else (1.0 if row[c["estado"]] == "Completada"
                                                     else 0.0)
        weight += days
        total += days * done
    return round(total / weight, 4)


def test_seguimiento_marks_overdue_actions_atrasada_and_rolls_progress_into_the_gantt(demo):
    late = {layout.es: _expected_late(demo, layout, CUTOFF)
            for layout in (SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES)}
    assert any(late.values())  # the demo has an overdue action
    progress = {"4.1": _plan_progress(demo, SEGUIMIENTO_TRABAJO),
                "4.2": _plan_progress(demo, SEGUIMIENTO_COMUNICACIONES)}

    backend = OpenpyxlBackend.open(demo)
    result = actualizar_seguimiento(backend)
    backend.save()

    assert result.cutoff == CUTOFF
    for layout in (SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES):
        head, c, rows = table(demo, layout)
        statuses = {i: rows[i - 1][c["estado"]] for i in range(head + 2, len(rows) + 1)}
        assert {i for i, s in statuses.items() if s == "Atrasada"} == late[layout.es]
    head, c, rows = table(demo, GANTT)
    by_code = {str(r[c["codigo"]]): r for r in rows[head + 1:] if r[c["codigo"]]}
    for code, pct in progress.items():
        assert by_code[code][c["avance"]] == pytest.approx(pct)
    # The stage row keeps its live roll-up formula.
    assert str(by_code["4"][c["avance"]]).startswith("=")


def test_seguimiento_lists_critical_knots_linked_to_their_rows(demo):
    backend = OpenpyxlBackend.open(demo)
    result = actualizar_seguimiento(backend)
    backend.save()
    ws = load_workbook(demo)[NUDOS.es]
    head, c, rows = table(demo, NUDOS)
    listed = [r for r in rows[head + 1:] if r[c["accion"]]]
    assert len(listed) == len(result.knots) >= 1
    assert all(r[c["motivo"]] for r in listed)
    assert "Atrasada" in {r[c["motivo"]] for r in listed}
    link = ws.cell(head + 2, c["celda"] + 1).hyperlink
    assert link is not None and listed[0][c["celda"]].split("!")[1] in link.location
    assert "Avance" in str(rows[1][0]) and "%" in str(rows[1][0])


def test_seguimiento_gives_back_the_status_when_an_action_is_no_longer_late(demo):
    first, _ = seguimiento_file(demo, keep_backup=False)
    assert first.marked_late
    again, _ = seguimiento_file(demo, date(2026, 3, 1), keep_backup=False)  # before any plazo
    assert len(again.unmarked) == len(first.marked_late)
    for layout in (SEGUIMIENTO_TRABAJO, SEGUIMIENTO_COMUNICACIONES):
        head, c, rows = table(demo, layout)
        assert "Atrasada" not in {r[c["estado"]] for r in rows[head + 1:]}
    head, c, rows = table(demo, SEGUIMIENTO_TRABAJO)
    row = int("".join(ch for ch in first.marked_late[0][1] if ch.isdigit()))
    assert rows[row - 1][c["estado"]] == "En curso"  # 60 % done: running, not pending


def test_validator_accepts_atrasada_with_partial_progress(demo):
    backend = OpenpyxlBackend.open(demo)
    actualizar_seguimiento(backend)
    result = validar(backend)
    assert not [f for f in result.findings if f.rule == "SEG-01" and "Atrasada" in f.message]
    assert [f for f in result.findings if f.rule == "SEG-03"]  # still overdue: still warned


# --- Acta de traspaso ----------------------------------------------------------------------

def _inventory_total(path: Path) -> tuple[int, int]:
    head, c, rows = table(path, INVENTARIO)
    assets = [r for r in rows[head + 1:] if r[c["codigo"]]]
    return len(assets), sum(int(r[c["cantidad"]]) * int(r[c["valor_unitario"]])
                            for r in assets)


def _pesos(n: int) -> str:
    return "$" + f"{n:,}".replace(",", ".")


def test_acta_lists_every_asset_with_its_total_and_the_grand_total(demo):
    count, total = _inventory_total(demo)
    result, _ = acta_file(demo, RECIPIENT, keep_backup=False)
    assert result.data.total == total and len(result.data.assets) == count
    ws = load_workbook(demo)[ACTA.es]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    text = "\n".join(" ".join(str(v) for v in row if v is not None) for row in values)
    assert "ACTA DE TRASPASO DEL DOMINIO DE BIENES" in text
    assert "65.012.345-K" in text and "Coronel" in text
    lines = [row for row in values if isinstance(row[0], int) and isinstance(row[5], int)]
    assert len(lines) == count
    assert all(row[3] * row[4] == row[5] for row in lines)
    total_row = next(row for row in values if row[0] == "Total de los bienes traspasados")
    assert total_row[5] == total
    assert "Cláusulas" in text and "Por la organización receptora" in text and "FOSIS" in text
    assert ws.page_setup.orientation == "portrait"


def test_acta_recipient_comes_from_inventario_when_the_button_is_pressed(demo):
    assert recipient_named(OpenpyxlBackend.open(demo)) == RECIPIENT


def _set(path: Path, layout, match_col: str, match: str, col: str, value) -> str:
    wb = load_workbook(path)
    ws = wb[layout.es]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    found = locate_header(rows, layout.columns)
    assert found is not None
    for i, row in enumerate(rows[found.row + 1:], start=found.row + 2):
        if row[found.columns[match_col]] == match:
            cell = ws.cell(i, found.columns[col] + 1)
            cell.value = value
            wb.save(path)
            return cell.coordinate
    raise AssertionError(match)


def test_acta_refuses_a_recipient_that_is_not_active(demo):
    cell = _set(demo, ORGANIZACIONES, "nombre", RECIPIENT, "activa", "No")
    before = demo.read_bytes()
    with pytest.raises(MingaError) as caught:
        acta_file(demo, RECIPIENT, keep_backup=False)
    text = str(caught.value)
    assert "no figura activa" in text and f"celda {cell}" in text
    assert demo.read_bytes() == before  # nothing written


def test_acta_refuses_a_recipient_that_is_not_formalised(demo):
    _set(demo, ORGANIZACIONES, "nombre", RECIPIENT, "formalizada", "No")
    with pytest.raises(MingaError, match="no figura formalizada"):
        acta_file(demo, RECIPIENT, keep_backup=False)


def test_acta_refuses_an_organisation_outside_the_catastro(demo):
    with pytest.raises(MingaError, match="no está en el catastro"):
        generar_acta_traspaso(OpenpyxlBackend.open(demo), "Club Deportivo Inventado")


def test_acta_refuses_assets_without_quantity_or_value_naming_the_cells(demo):
    quantity = _set(demo, INVENTARIO, "codigo", "B-003", "cantidad", None)
    value = _set(demo, INVENTARIO, "codigo", "B-007", "valor_unitario", None)
    before = demo.read_bytes()
    with pytest.raises(MingaError) as caught:
        acta_file(demo, RECIPIENT, keep_backup=False)
    assert quantity in str(caught.value) and value in str(caught.value)
    assert "Inventario" in str(caught.value)
    assert demo.read_bytes() == before


@pytest.mark.libreoffice
def test_acta_pdf_printed_by_libreoffice_shows_each_line_and_the_grand_total(demo, tmp_path):
    libreoffice.require()
    count, total = _inventory_total(demo)
    result, _ = acta_file(demo, RECIPIENT, pdf=tmp_path / "acta.pdf", keep_backup=False)
    assert result.pdf == tmp_path / "acta.pdf" and len(result.data.assets) == count
    text = subprocess.run([str(libreoffice.PDFTOTEXT), "-layout", str(result.pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Total de los bienes traspasados" in text
    total_line = next(line for line in text.splitlines() if "Total de los bienes" in line)
    assert total_line.split()[-1] == _pesos(total)
    for n, asset in enumerate(result.data.assets, start=1):  # each line with its total
        line = next(line for line in text.splitlines() if line.split()[:2] == [str(n),
                                                                              asset.code])
        assert line.split()[-1] == _pesos(asset.total)
        assert _pesos(asset.unit_value) in line
    assert "Cláusulas" in text and "Por el FOSIS" in text


# --- Validar -------------------------------------------------------------------------------

def test_validar_button_writes_the_validacion_sheet(demo):
    backend = OpenpyxlBackend.open(demo)
    result = validar(backend, cutoff=CUTOFF)
    backend.save()
    head, c, rows = table(demo, VALIDACION)
    rules = [r[c["regla"]] for r in rows[head + 1:] if r[c["regla"]]]
    assert len(rules) == len(result.findings) > 0


def test_a_stored_programme_never_ends_in_a_part_that_is_only_whitespace():
    """Found while adding «activity» to the plans: the 15-month definition's YAML grew to
    30,001 characters, its last part was a lone «\\n», read back as blank, and the SHA-256 of
    an untouched workbook no longer matched (tests/test_hostile.py caught it)."""
    from addin.layouts.identity import PART, split_text

    text = "a: b\n" * (PART // 5) + "\n"  # PART + 1 characters, the last one a newline
    parts = split_text(text)
    assert "".join(parts) == text and all(len(p) <= PART for p in parts)
    assert all(p.strip() for p in parts)
    assert all(not parts[k][-1].isspace() or k == len(parts) - 1 for k in range(len(parts)))
