"""`minga revisar`: the supervisor's decision on a programme's latest submission, kept in the
history and written, on request, into the submission as an acta."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.demo import build_demo
from tests.supervision_fixtures import CUT, rows, run, variant


@pytest.fixture
def supervised(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "entregas"
    folder.mkdir()
    coronel = folder / "coronel.xlsx"
    build_demo(coronel)
    build_demo(folder / "lota.xlsx", plant=False, form={"comuna": "Lota"})
    db = tmp_path / "entregas.minga.sqlite"
    result = run("supervisar", str(folder), "--fecha-corte", CUT, cwd=tmp_path)
    assert result.returncode == 1 and db.is_file(), result.stderr
    return tmp_path, folder, coronel


def test_a_decision_records_who_what_when_and_which_submission(supervised) -> None:
    cwd, _, coronel = supervised
    result = run("revisar", "coronel-2025-03", "--estado", "observado", "--comentario",
                 "Falta aprobar el informe 3.", "--revisor", "Ana Pérez (FOSIS Biobío)",
                 cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "coronel-2025-03: Observado por Ana Pérez (FOSIS Biobío) (coronel.xlsx)" in \
        result.stdout
    db = cwd / "entregas.minga.sqlite"
    review = rows(db, "SELECT r.state, r.comment, r.reviewer, r.decided_at, s.path FROM "
                      "reviews r JOIN submissions s ON s.id = r.submission_id")
    assert [tuple(r)[:3] for r in review] == [("observado", "Falta aprobar el informe 3.",
                                               "Ana Pérez (FOSIS Biobío)")]
    assert review[0]["path"] == str(coronel) and review[0]["decided_at"][:4] == "2026"
    shown = run("revisar", "Coronel", cwd=cwd)  # the comuna names it too
    assert "Observado" in shown.stdout and "Falta aprobar el informe 3." in shown.stdout
    assert "Pendiente" in run("revisar", "lota-2025-03", cwd=cwd).stdout


def test_a_new_submission_of_the_programme_puts_it_back_to_pendiente(supervised) -> None:
    cwd, folder, coronel = supervised
    run("revisar", "coronel-2025-03", "--estado", "aprobado", "--comentario", "Todo en orden.",
        cwd=cwd)
    assert "Aprobado" in run("revisar", "coronel-2025-03", cwd=cwd).stdout
    variant(coronel, folder / "coronel-junio.xlsx", 2)  # the organisation sends it again
    again = run("supervisar", str(folder), "--fecha-corte", CUT, "--json", cwd=cwd)
    assert json.loads(again.stdout)["validated"] == 1
    shown = run("revisar", "coronel-2025-03", cwd=cwd)
    assert "Ilustre Municipalidad de Coronel): Pendiente" in shown.stdout
    assert "Todo en orden." in shown.stdout  # the earlier decision stays in the history


def test_escribir_puts_findings_and_acta_in_the_validacion_sheet_after_a_backup(
        supervised) -> None:
    cwd, folder, coronel = supervised
    before = coronel.read_bytes()
    result = run("revisar", "coronel", "--estado", "rechazado", "--comentario",
                 "=HYPERLINK(\"x\") rehacer inventario", "--revisor", "Ana", "--escribir",
                 cwd=cwd)
    assert result.returncode == 0, result.stderr
    backups = sorted(folder.glob("coronel.respaldo-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    ws = load_workbook(coronel)["Validación"]
    values = [r for r in ws.iter_rows(values_only=True)]
    rules = [r[0] for r in values[3:] if r[0] and "-" in str(r[0])]
    stored = rows(cwd / "entregas.minga.sqlite", "SELECT rule FROM findings f JOIN "
                  "submissions s ON s.id = f.submission_id WHERE s.path = ? ORDER BY position",
                  (str(coronel),))
    assert rules == [r[0] for r in stored]  # the findings the supervisor reviewed
    acta = {r[0]: r[1] for r in values[values.index(("Acta de revisión del supervisor",
                                                     *[None] * (len(values[0]) - 1))):]}
    assert acta["Estado"] == "Rechazado" and acta["Revisado por"] == "Ana"
    assert acta["Entrega"] == "coronel.xlsx (corte 20-05-2026)"
    assert acta["Comentario"] == "=HYPERLINK(\"x\") rehacer inventario"  # text, not a formula
    comment_cell = next(c for row in ws.iter_rows() for c in row
                        if c.value == acta["Comentario"])
    assert comment_cell.data_type == "s"
    # the written file is still the same submission, and still «rechazado»
    again = run("supervisar", str(folder), "--fecha-corte", CUT, "--json", cwd=cwd)
    assert json.loads(again.stdout)["validated"] == 0
    assert "): Rechazado" in run("revisar", "coronel-2025-03", cwd=cwd).stdout


def test_escribir_refuses_a_file_changed_since_it_was_validated(supervised) -> None:
    cwd, folder, coronel = supervised
    shutil.copy(folder / "lota.xlsx", coronel)  # replaced after the run
    digest = hashlib.sha256(coronel.read_bytes()).hexdigest()
    result = run("revisar", "coronel-2025-03", "--estado", "aprobado", "--comentario", "ok",
                 "--escribir", cwd=cwd)
    assert result.returncode == 2
    assert "ya no está donde se validó, o cambió desde entonces" in result.stderr
    assert hashlib.sha256(coronel.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(("args", "message"), [
    (("coronel", "--estado", "aprobadísimo", "--comentario", "x"), "Estado desconocido"),
    (("coronel", "--estado", "aprobado"), "Falta el comentario"),
    (("valparaiso",), "No hay un programa «valparaiso»"),
    (("2025-03",), "corresponde a varios programas: coronel-2025-03, lota-2025-03"),
])
def test_bad_review_requests_exit_2_in_spanish(supervised, args, message) -> None:
    cwd, _, _ = supervised
    result = run("revisar", *args, cwd=cwd)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert rows(cwd / "entregas.minga.sqlite", "SELECT count(*) FROM reviews")[0][0] == 0


def test_revisar_without_a_database_says_where_to_get_one(tmp_path: Path) -> None:
    result = run("revisar", "coronel", "--estado", "aprobado", "--comentario", "x",
                 cwd=tmp_path)
    assert result.returncode == 2
    assert "No hay una base de supervisión (*.minga.sqlite) en esta carpeta" in result.stderr
    assert list(tmp_path.iterdir()) == []
