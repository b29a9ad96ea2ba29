"""Validation end to end: the demo, findings written into the workbook, JSON, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.actions.validate import SCHEMA, validate_file
from addin.backends.base import MARK_FILLS
from addin.demo import CUTOFF, build_demo
from tests import libreoffice


def minga(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "addin", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=120, env=env, check=False)


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, list]:
    path = tmp_path / "demo.xlsx"
    return path, build_demo(path)


def test_demo_findings_are_exactly_its_planted_defects(demo: tuple[Path, list]) -> None:
    path, planted = demo
    result, _ = validate_file(path, cutoff=CUTOFF)
    assert sorted((f.rule, f.sheet, f.cell) for f in result.findings) == sorted(
        (p.rule, p.sheet, p.cell) for p in planted)
    assert len(planted) >= 10
    assert result.exit_code == 1


def test_cutoff_written_in_programa_is_used(demo: tuple[Path, list]) -> None:
    result, _ = validate_file(demo[0])
    assert result.cutoff == CUTOFF  # build_demo writes it in Programa › Fecha de corte


def test_escribir_writes_the_sheet_links_and_marks_then_clears_them(
        demo: tuple[Path, list]) -> None:
    path, planted = demo
    _, saved = validate_file(path, cutoff=CUTOFF, write=True)
    assert saved is not None and saved.backup is not None and saved.backup.exists()
    assert saved.lost == []
    wb = load_workbook(path)
    ws = wb["Validación"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(rows) == len(planted)
    assert {(r[0], r[2], r[3]) for r in rows} == {(p.rule, p.sheet, p.cell) for p in planted}
    link = ws["D4"].hyperlink
    assert link is not None and link.location == f"'{rows[0][2]}'!{rows[0][3]}"
    assert rows[0][1] == "error" and rows[-1][1] == "advertencia"
    for p in planted:
        cell = wb[p.sheet][p.cell]
        assert cell.fill.start_color.rgb[2:] in MARK_FILLS, p
        assert cell.comment is not None and p.rule in cell.comment.text
    assert "11 errores, 3 advertencias" in ws["A2"].value

    # Fix one defect and validate again: its mark disappears, nothing accumulates.
    fixed = wb["Integrantes"]
    unsigned = next(p for p in planted if p.rule == "INT-02")
    fixed[unsigned.cell] = "Sí"
    wb.save(path)
    validate_file(path, cutoff=CUTOFF, write=True, keep_backup=False)
    wb = load_workbook(path)
    assert wb["Integrantes"][unsigned.cell].comment is None
    assert wb["Integrantes"][unsigned.cell].fill.fill_type is None
    rows = [r for r in wb["Validación"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(rows) == len(planted) - 1
    others = [p for p in planted if p.rule != "INT-02"]
    assert all(wb[p.sheet][p.cell].comment.text.count("\n→ ") == 1 for p in others)


def test_the_written_workbook_opens_in_libreoffice(demo: tuple[Path, list],
                                                   tmp_path: Path) -> None:
    path, _ = demo
    validate_file(path, cutoff=CUTOFF, write=True, keep_backup=False)
    pdf = libreoffice.convert(path, "pdf", tmp_path / "pdf")
    page = libreoffice.pdf_page_with(pdf, "Resultado de la validación")
    assert page > 1


def test_json_schema_is_stable(demo: tuple[Path, list], tmp_path: Path) -> None:
    result = minga("validar", str(demo[0]), "--json", cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["schema"] == SCHEMA
    assert set(report) == {"schema", "minga_version", "file", "programme", "cutoff",
                           "summary", "findings"}
    assert report["programme"] == "ecomercado-15m" and report["cutoff"] == "2026-05-20"
    assert report["summary"] == {"errors": 11, "warnings": 3, "info": 0, "total": 14}
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "sheet", "cell", "row_key", "message",
                                "fix", "source"}
        assert finding["severity"] in ("error", "warning", "info")


def test_cli_validar_exit_codes_and_untouched_input(demo: tuple[Path, list],
                                                    tmp_path: Path) -> None:
    path = demo[0]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = minga("validar", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "Con errores: 11 errores, 3 advertencias," in result.stdout
    assert "INT-02" in result.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # read-only by default
    clean = tmp_path / "limpio.xlsx"
    build_demo(clean, plant=False)
    result = minga("validate", str(clean), "--fecha-corte", "20-05-2026", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "Sin errores" in result.stdout


def test_demo_command_is_the_main_job(tmp_path: Path) -> None:
    result = minga("demo", "--carpeta", "d", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "14 defectos sembrados" in result.stdout
    wb = load_workbook(tmp_path / "d" / "ecomercado-15m-demo.xlsx")
    assert wb["Validación"]["A4"].value


def test_validacion_summary_agrees_in_number(tmp_path: Path) -> None:
    """«1 error, 1 advertencia», never «1 errores, 1 advertencias» (issue 6, item 6)."""
    path = tmp_path / "limpio.xlsx"
    build_demo(path, plant=False)
    wb = load_workbook(path)
    wb["Organizaciones"]["C4"] = "65078901-0"  # a RUT with a wrong check digit: one error
    wb.save(path)
    result, _ = validate_file(path, cutoff=CUTOFF, write=True, keep_backup=False)
    assert result.summary["errors"] == 1, [f.rule for f in result.findings]
    summary = load_workbook(path)["Validación"]["A2"].value
    assert "1 error," in summary and "1 errores" not in summary
    assert f"{result.summary['warnings']} advertencia" in summary
