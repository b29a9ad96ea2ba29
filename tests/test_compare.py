"""`minga comparar`: what changed between two versions of a workbook, matched by each sheet's
row key, so an inserted row or a reordered column is not reported as a change."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.demo import build_demo, demo_data
from addin.domain.programme import load_programme
from addin.layouts.ecomercado import INVENTARIO, SESIONES
from addin.layouts.model import column_letter
from tests.supervision_fixtures import CUT, rows, run

FIRST = INVENTARIO.first_data_row


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A clean demo and its next version: an asset inserted in the middle, one deleted, one
    quantity edited (its total left as it was: a new INV-04 finding)."""
    folder = tmp_path_factory.mktemp("versiones")
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    old = folder / "abril.xlsx"
    build_demo(old, plant=False, data=data)
    new_data = copy.deepcopy(data)
    assets = new_data["inventario"]
    inserted = dict(assets[0], codigo="B-050", descripcion="Balanza digital 30 kg",
                    cantidad=1, valor_unitario=45990, valor_total=45990)
    assets.insert(5, inserted)  # becomes the 6th row
    deleted = assets.pop(11)  # the 11th asset of April
    edited = assets[2]
    old_quantity = edited["cantidad"]
    edited["cantidad"] = old_quantity + 1
    new = folder / "mayo.xlsx"
    build_demo(new, plant=False, data=new_data)
    return {"old": old, "new": new, "folder": folder, "deleted": deleted["codigo"],
            "edited": edited["codigo"], "quantity": (old_quantity, old_quantity + 1)}


def test_inserted_deleted_and_edited_rows_are_exactly_the_changes(pair: dict) -> None:
    result = run("comparar", str(pair["old"]), str(pair["new"]), "--fecha-corte", CUT,
                 "--json", cwd=pair["folder"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == "minga.changes/1"
    quantity = column_letter(INVENTARIO.index("cantidad"))
    assert report["sheets"] == [{"sheet": "Inventario", "rows": [
        {"change": "modificada", "key": pair["edited"], "row": FIRST + 2, "cells": [
            {"column": "Cantidad", "cell": f"{quantity}{FIRST + 2}",
             "old": pair["quantity"][0], "new": pair["quantity"][1]}]},
        {"change": "agregada", "key": "B-050", "row": FIRST + 5, "cells": []},
        {"change": "eliminada", "key": pair["deleted"], "row": FIRST + 10, "cells": []},
    ]}]
    summary = report["summary"]
    assert (summary["added"], summary["removed"], summary["changed_cells"]) == (1, 1, 1)
    # the edited quantity no longer matches its total: one new finding, on that asset
    assert [(f["rule"], f["row_key"]) for f in report["findings"]["new"]] == \
        [("INV-04", pair["edited"])]
    assert report["findings"]["resolved"] == []


def test_the_terminal_shows_each_change_with_old_and_new_value(pair: dict) -> None:
    result = run("comparar", str(pair["old"]), str(pair["new"]), "--fecha-corte", CUT,
                 cwd=pair["folder"])
    lines = result.stdout.splitlines()
    quantity = column_letter(INVENTARIO.index("cantidad"))
    old, new = pair["quantity"]
    assert f"~ Inventario · {pair['edited']} · Cantidad ({quantity}{FIRST + 2}): «{old}» → " \
           f"«{new}»" in lines
    assert f"+ Inventario · B-050 (fila {FIRST + 5}, agregada)" in lines
    assert f"− Inventario · {pair['deleted']} (fila {FIRST + 10}, eliminada)" in lines
    assert any(line.startswith("abril.xlsx → mayo.xlsx: 1 fila agregada, 1 fila eliminada, "
                               "1 fila modificada (1 celda). Hallazgos: 0 resueltos, 1 nuevo")
               for line in lines)


def test_the_cambios_sheet_lists_the_same_changes(pair: dict) -> None:
    target = pair["folder"] / "cambios.xlsx"
    result = run("comparar", str(pair["old"]), str(pair["new"]), "--fecha-corte", CUT,
                 "-o", str(target), cwd=pair["folder"])
    assert result.returncode == 0, result.stderr
    wb = load_workbook(target)
    values = list(wb["Cambios"].iter_rows(values_only=True))
    assert values[1] == ("Hoja", "Cambio", "Clave de fila", "Columna", "Celda", "Antes",
                         "Ahora")
    quantity = column_letter(INVENTARIO.index("cantidad"))
    assert values[2:] == [
        ("Inventario", "modificada", pair["edited"], "Cantidad", f"{quantity}{FIRST + 2}",
         *pair["quantity"]),
        ("Inventario", "agregada", "B-050", None, f"fila {FIRST + 5}", None, None),
        ("Inventario", "eliminada", pair["deleted"], None, f"fila {FIRST + 10}", None, None)]
    found = [r for r in wb["Hallazgos"].iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[1], r[5]) for r in found] == [("nuevo", "INV-04", pair["edited"])]


def test_reordered_columns_and_an_edited_session_are_matched_by_key(pair: dict,
                                                                    tmp_path: Path) -> None:
    """Sesiones' «Tema» and «Modalidad» columns swapped (as a user drags them) and one session's
    topic rewritten: only that cell is a change, found under its new column."""
    moved = tmp_path / "movida.xlsx"
    wb = load_workbook(pair["old"])
    ws = wb["Sesiones"]
    tema, modalidad = SESIONES.index("tema") + 1, SESIONES.index("modalidad") + 1
    for row in ws.iter_rows(min_row=SESIONES.header_row):
        row[tema - 1].value, row[modalidad - 1].value = \
            row[modalidad - 1].value, row[tema - 1].value
    edited_row = SESIONES.first_data_row + 4
    key = (ws.cell(edited_row, SESIONES.index("fecha") + 1).value,
           ws.cell(edited_row, SESIONES.index("tipo") + 1).value)
    old_topic = ws.cell(edited_row, modalidad).value  # the topic, now in the 6th column
    ws.cell(edited_row, modalidad).value = "Tema corregido por la gestora"
    wb.save(moved)
    result = run("comparar", str(pair["old"]), str(moved), "--fecha-corte", CUT, "--json",
                 cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["sheets"] == [{"sheet": "Sesiones", "rows": [
        {"change": "modificada", "key": f"{key[0]:%d-%m-%Y} · {key[1]}", "row": edited_row,
         "cells": [{"column": "Tema / objetivo",
                    "cell": f"{column_letter(modalidad - 1)}{edited_row}",
                    "old": old_topic, "new": "Tema corregido por la gestora"}]}]}]
    assert report["findings"]["new"] == report["findings"]["resolved"] == []


def test_each_new_submission_is_compared_with_the_previous_one(pair: dict,
                                                              tmp_path: Path) -> None:
    """`supervisar` compares a programme's new submission with its previous one from the
    history, even after the previous file was overwritten by the new one."""
    folder = tmp_path / "entregas"
    folder.mkdir()
    target = folder / "ecomercado-coronel.xlsx"
    target.write_bytes(pair["old"].read_bytes())
    db = tmp_path / "h.minga.sqlite"
    first = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), "--json",
                cwd=tmp_path)
    assert json.loads(first.stdout)["changes"] == []
    target.write_bytes(pair["new"].read_bytes())  # the organisation overwrites its file
    second = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), "--json",
                 cwd=tmp_path)
    changes = json.loads(second.stdout)["changes"]
    assert len(changes) == 1 and changes[0]["programme"] == "coronel-2025-03"
    s = changes[0]["summary"]
    assert (s["added"], s["removed"], s["changed_cells"], s["findings_new"]) == (1, 1, 1, 1)
    assert rows(db, "SELECT count(*) FROM comparisons")[0][0] == 1
    shown = run("supervisar", str(folder), "--fecha-corte", "2026-05-31", "--db", str(db),
                cwd=tmp_path)  # another cut-off: judged again, compared with the May one
    assert "coronel-2025-03: ecomercado-coronel.xlsx (corte 2026-05-20) → " \
           "ecomercado-coronel.xlsx (corte 2026-05-31): +0 −0 filas, 0 celdas; hallazgos: " \
           "0 resueltos, 0 nuevos" in shown.stdout


def test_comparar_refuses_a_missing_file_in_spanish(tmp_path: Path, pair: dict) -> None:
    result = run("comparar", str(pair["old"]), str(tmp_path / "no.xlsx"), cwd=tmp_path)
    assert result.returncode == 2 and "No existe el archivo" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_indicator_matrix_edited_and_grown_is_changed_and_added_not_replaced(
        tmp_path: Path) -> None:
    """The other kinds have row keys too: an indicator's achieved figure edited is that
    row changed (matched on its code), and a progress row inserted in the middle is one row
    added (matched on code, period and district) — nothing removed."""
    from addin.demo.submissions import LV, build_programme, other_records
    from addin.layouts.indicators import AVANCE, INDICADORES

    data, form = other_records(LV, 1)
    build_programme(tmp_path / "enero.xlsx", LV, data, form)
    later = copy.deepcopy(data)
    later["indicadores"][1]["logrado"] += 5
    later["avance"].insert(2, {"codigo": "1", "periodo": "Semestre 2",
                               "territorio": "La Victoria", "total": 4, "mujeres": 2,
                               "hombres": 2})
    build_programme(tmp_path / "febrero.xlsx", LV, later, form)
    result = run("comparar", "enero.xlsx", "febrero.xlsx", "--json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    logrado = column_letter(INDICADORES.index("logrado"))
    first = INDICADORES.first_data_row
    before = data["indicadores"][1]["logrado"]
    assert report["sheets"] == [
        {"sheet": "Indicadores", "rows": [
            {"change": "modificada", "key": "2", "row": first + 1, "cells": [
                {"column": "Logrado (total declarado)", "cell": f"{logrado}{first + 1}",
                 "old": before, "new": before + 5}]}]},
        {"sheet": "Avance", "rows": [
            {"change": "agregada", "key": "1 · Semestre 2 · La Victoria",
             "row": AVANCE.first_data_row + 2, "cells": []}]}]


# --- «Cambios» written into the later submission (--escribir) -----------------------------

def _values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_escribir_puts_cambios_into_the_later_workbook_after_a_backup(pair: dict,
                                                                      tmp_path: Path) -> None:
    """The supervisor's usual case: the changes go into the submission itself, as
    `validar --escribir` writes «Validación» — a backup first, every sheet of the person's
    kept, and a second run rewrites minga's «Cambios» instead of adding another."""
    new = tmp_path / "mayo.xlsx"
    new.write_bytes(pair["new"].read_bytes())
    before = _values(new)
    original = new.read_bytes()
    result = run("comparar", str(pair["old"]), "mayo.xlsx", "--fecha-corte", CUT,
                 "--escribir", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    backups = sorted(p for p in tmp_path.iterdir() if ".respaldo-" in p.name)
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert f"Hoja «Cambios» escrita en mayo.xlsx (respaldo: {backups[0].name})" in \
        " ".join(result.stdout.split())
    after = _values(new)
    assert list(after) == [*before, "Cambios"]  # the last tab; every other sheet as it was
    assert {k: v for k, v in after.items() if k != "Cambios"} == before
    sheet = after["Cambios"]
    quantity = column_letter(INVENTARIO.index("cantidad"))
    assert sheet[0][0] == "Cambios: abril.xlsx → mayo.xlsx"
    assert sheet[1] == ("Hoja", "Cambio", "Clave de fila", "Columna", "Celda", "Antes", "Ahora")
    assert sheet[2:5] == [
        ("Inventario", "modificada", pair["edited"], "Cantidad", f"{quantity}{FIRST + 2}",
         *pair["quantity"]),
        ("Inventario", "agregada", "B-050", None, f"fila {FIRST + 5}", None, None),
        ("Inventario", "eliminada", pair["deleted"], None, f"fila {FIRST + 10}", None, None)]
    assert sheet[6][0] == "Hallazgos: abril.xlsx → mayo.xlsx"
    assert [(r[0], r[1], r[5]) for r in sheet[8:]] == [("nuevo", "INV-04", pair["edited"])]
    # the submission validates as before: «Cambios» is not one of the programme's sheets
    again = run("validar", "mayo.xlsx", "--fecha-corte", CUT, "--json", cwd=tmp_path)
    alone = run("validar", str(pair["new"]), "--fecha-corte", CUT, "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["findings"] == json.loads(alone.stdout)["findings"]

    second = run("comparar", str(pair["old"]), "mayo.xlsx", "--fecha-corte", CUT,
                 "--escribir", "--sin-respaldo", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert _values(new) == after  # rewritten in place, not a second sheet
    assert len([p for p in tmp_path.iterdir() if ".respaldo-" in p.name]) == 1


def test_escribir_never_touches_a_sheet_of_the_persons_called_cambios(pair: dict,
                                                                      tmp_path: Path) -> None:
    new = tmp_path / "mayo.xlsx"
    wb = load_workbook(pair["new"])
    wb.create_sheet("Cambios")["A1"] = "Mis notas de cambios del mes"
    wb.save(new)
    original = new.read_bytes()
    result = run("comparar", str(pair["old"]), "mayo.xlsx", "--fecha-corte", CUT,
                 "--escribir", cwd=tmp_path)
    assert result.returncode == 2
    assert "ya tiene una hoja «Cambios» que no escribió minga; no se modificó" in \
        " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert new.read_bytes() == original and [p.name for p in tmp_path.iterdir()] == [new.name]


def test_escribir_refuses_a_rewrite_that_would_lose_the_persons_shapes(pair: dict,
                                                                       tmp_path: Path) -> None:
    """The preserve guard, as for `validar --escribir`: exit 2, the file byte-identical, no
    backup; with --forzar it writes and keeps the backup."""
    from tests import parts

    new = parts.edit(pair["new"], parts.shapes("Inventario"), tmp_path / "mayo.xlsx")
    original = new.read_bytes()
    refused = run("comparar", str(pair["old"]), "mayo.xlsx", "--fecha-corte", CUT,
                  "--escribir", cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "Hoja «Inventario»: 2 formas o cuadros de texto" in refused.stderr
    assert "--forzar" in refused.stderr and "Traceback" not in refused.stderr
    assert new.read_bytes() == original and [p.name for p in tmp_path.iterdir()] == [new.name]
    forced = run("comparar", str(pair["old"]), "mayo.xlsx", "--fecha-corte", CUT,
                 "--escribir", "--forzar", "--sin-respaldo", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "ya no tiene" in forced.stderr
    backups = [p for p in tmp_path.iterdir() if ".respaldo-" in p.name]
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert "Cambios" in load_workbook(new).sheetnames


def test_write_options_without_escribir_are_refused(pair: dict, tmp_path: Path) -> None:
    for option in ("--forzar", "--sin-respaldo"):
        alone = run("comparar", str(pair["old"]), str(pair["new"]), option, cwd=tmp_path)
        assert alone.returncode == 2 and "solo sirven junto con --escribir" in alone.stderr
    assert list(tmp_path.iterdir()) == []


def test_escribir_with_the_supervision_database_keeps_it_the_same_submission(
        pair: dict, tmp_path: Path) -> None:
    """Written into a supervised submission with --db, the new bytes are remembered: the
    next `minga supervisar` sees no new submission (nor a duplicate)."""
    folder = tmp_path / "entregas"
    folder.mkdir()
    new = folder / "mayo.xlsx"
    new.write_bytes(pair["new"].read_bytes())
    db = tmp_path / "h.minga.sqlite"
    first = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    wrote = run("comparar", str(pair["old"]), str(new), "--fecha-corte", CUT, "--escribir",
                "--sin-respaldo", "--db", str(db), cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    again = run("supervisar", str(folder), "--fecha-corte", CUT, "--db", str(db), "--json",
                cwd=tmp_path)
    report = json.loads(again.stdout)
    assert (report["validated"], report["skipped"], report["duplicates"]) == (0, 1, [])
    assert rows(db, "SELECT count(*) FROM submissions")[0][0] == 1


def test_every_sheet_a_person_fills_in_every_kind_of_workbook_has_a_row_key() -> None:
    """Without a key, a versions' row edited in place would be compared by its required
    columns: a changed value there would read as one row removed and another added."""
    from addin.layouts.sets import LAYOUT_SETS

    keyless = [(kind, layout.key) for kind, layouts in LAYOUT_SETS.items()
               for layout in layouts
               if layout.kind != "form" and not layout.output_only and not layout.row_key]
    assert keyless == []
    for layouts in LAYOUT_SETS.values():
        for layout in layouts:
            for key in layout.row_key:
                layout.column(key)  # a column of its own sheet
