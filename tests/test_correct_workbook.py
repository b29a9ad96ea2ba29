"""The «everything right» case: a complete, correct 15-month workbook written by hand from the
guide (tests/correct_workbook.py) validates with no error and no warning.

A validator that calls a correct workbook wrong loses the supervisor's trust: every rule and
every allowed variant of the guide (audiovisual record, líder natural, plan led by the
comunidad organizada…) is exercised here at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.actions.validate import validate_file
from addin.domain.programme import load_programme
from addin.domain.rules import REGISTRY
from tests.correct_workbook import CUTOFF, build_correct_workbook, records


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_correct_workbook(tmp_path_factory.mktemp("correcto") / "lota.xlsx")


def test_the_correct_workbook_has_no_error_and_no_warning(workbook: Path) -> None:
    result, _ = validate_file(workbook, cutoff=CUTOFF)
    assert [(f.rule, f.sheet, f.cell, f.message) for f in result.findings] == []
    assert result.exit_code == 0


def test_minga_validar_agrees(workbook: Path) -> None:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "addin", "validar", str(workbook), "--json"],
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"total": 0' in done.stdout


def test_it_is_complete_not_empty(workbook: Path) -> None:
    """Zero findings because everything is there, not because nothing is due or read."""
    result, _ = validate_file(workbook, cutoff=CUTOFF)
    data = result.data
    definition = load_programme("ecomercado-15m")
    assert result.cutoff > result.data.form.get("inicio")  # judged after the execution
    sessions = {r.get("tipo") for r in data.records("sesiones")}
    assert {s.label for s in definition.session_types if s.minimum or s.recommended} <= sessions
    documents = {(r.get("codigo"), r.get("verificador")) for r in data.records("verificadores")}
    assert documents == {(a.code, v.name) for a in definition.activities
                         for v in a.tracked_verifiers}
    assert {r.get("estado") for r in data.records("verificadores")} == {"Aprobado"}
    assert all(r.get("incluido") is True for r in data.records("procedimiento"))
    assert len(data.records("informes")) == 3
    assert len(REGISTRY) >= 50


def test_it_uses_the_variants_the_guide_allows() -> None:
    data = records()
    assert any(s["lista_asistencia"] == "No" and s.get("registro_audiovisual") == "Sí"
               for s in data["sesiones"])
    assert any(m["organizacion"] is None and m["representa"] == "Líder/lideresa natural"
               for m in data["integrantes"])
    assert any(s["tipo"] == "Elaboración del plan de trabajo"
               and s["instancia"] == "Comunidad organizada" for s in data["sesiones"])
