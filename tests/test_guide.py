"""Where each rule comes from, in the guide's own words, and messages that read as Spanish.

Issue 6 item 6 and issue 12: a coordinator who doubts a finding finds its sentence in the
guide from the finding's source; counts agree with their nouns and numbers are es-CL.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from addin.actions.validate import validate_file
from addin.demo import CUTOFF, build_demo, demo_data
from addin.domain.programme import builtin_ids, load_programme
from addin.domain.rules import REGISTRY

#: The guide's text, kept beside the repository (shared/seeds) where minga is developed.
GUIDE_TEXT = next((text for folder in Path(__file__).resolve().parents
                   for text in sorted((folder / "shared" / "seeds").glob("004_*.txt"))), None)
QUOTE = re.compile(r"«([^«»]+)»")
INTERNAL = re.compile(r"seed|RULES\.md|shared/", re.IGNORECASE)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def test_every_rule_cites_its_source_not_an_internal_label() -> None:
    for rule in REGISTRY.values():
        assert not INTERNAL.search(rule.source), rule.id
        if not rule.id.startswith("ORG") and "ecomercado" in rule.sets:  # ORG: the Registro Civil
            assert rule.source.startswith("FOSIS, Ecomercados Solidarios: guía"), rule.id
            assert "§" in rule.source and QUOTE.search(rule.source), rule.id


@pytest.mark.skipif(GUIDE_TEXT is None, reason="the guide's text lives beside the repository")
def test_every_quoted_sentence_is_the_guides_own() -> None:
    """Each «…» in a rule or a programme definition is in the guide (ellipses allowed)."""
    assert GUIDE_TEXT is not None
    guide = _words(GUIDE_TEXT.read_text("utf-8"))
    texts = [r.source for r in REGISTRY.values()
             if not r.id.startswith("ORG") and "ecomercado" in r.sets]
    for pid in builtin_ids():
        definition = load_programme(pid)
        if definition.layouts != "ecomercado":
            continue  # the other programmes quote their own documents (test_programme_kinds)
        texts += [a.source for a in definition.activities]
        texts += [s.source for s in definition.session_types]
        texts += [c.source for c in definition.cadences] + [p.source for p in definition.plans]
    for text in texts:
        for quote in QUOTE.findall(text):
            for piece in (p.strip(" .") for p in quote.split("…")):
                if len(piece) > 3:
                    assert _words(piece) in guide, piece


@pytest.mark.parametrize("pid", [p for p in builtin_ids() if p.startswith("ecomercado")])
def test_exported_programme_points_at_nothing_users_do_not_have(pid: str) -> None:
    text = subprocess.run([sys.executable, "-m", "addin", "programas", "--exportar", pid],
                          capture_output=True, text=True, check=True).stdout
    assert text.startswith("# Ecomercados Solidarios")
    assert not INTERNAL.search(text)
    definition = load_programme(pid)
    for activity in definition.activities:
        assert activity.source.startswith("§4") and QUOTE.search(activity.source), activity.key


def test_findings_carry_the_guides_sentence_and_spanish_numbers(tmp_path: Path) -> None:
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["sesiones"][:] = [s for s in data["sesiones"]  # one of the 2 proyección sessions
                           if not (s["tipo"].startswith("Proyección") and s["fecha"].year == 2026)]
    data["inventario"][6]["valor_total"] = 1_234_567
    data["seguimiento_plan_comunicaciones"][1]["avance"] = 0.805
    path = tmp_path / "libro.xlsx"
    build_demo(path, plant=False, data=data, form={"constitucion_cl": None})
    result, _ = validate_file(path, cutoff=CUTOFF)
    by_rule = {f.rule: f for f in result.findings}
    sessions = by_rule["SES-01"]
    assert "al menos 2 sesiones de «Proyección" in sessions.message
    assert "hay 1 registrada " in sessions.message
    assert "«Al menos, 2 sesiones de trabajo donde participe municipio" in sessions.source
    assert "cada 2 meses" in by_rule["SES-02"].fix and "mes(es)" not in by_rule["SES-02"].fix
    total = by_rule["INV-04"].message
    assert "$1.234.567" in total and "× $119.990 = $239.980" in total
    assert "80,5%" in by_rule["SEG-01"].message


def test_one_session_is_singular(tmp_path: Path) -> None:
    data = demo_data(load_programme("ecomercado-15m"), plant=False)
    data["sesiones"][:] = [s for s in data["sesiones"] if s["tipo"] != "Sesión diagnóstica"]
    path = tmp_path / "libro.xlsx"
    build_demo(path, plant=False, data=data)
    result, _ = validate_file(path, cutoff=CUTOFF)
    message = next(f.message for f in result.findings if f.rule == "SES-01")
    assert message.startswith("Se requiere al menos 1 sesión de «Sesión diagnóstica» y hay "
                              "0 registradas")


def test_readme_lists_every_rule_with_its_severity_and_source() -> None:
    from addin.domain.rules.base import GUIDE

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    rows = {line.split("|")[1].strip(): line for line in readme.splitlines()
            if line.startswith("| ") and line.count("|") >= 5}
    for rule in REGISTRY.values():
        assert rule.id in rows, rule.id
        severity = {"error": "error", "warning": "advertencia", "info": "info"}[
            rule.severity.value]
        assert f"| {severity} |" in rows[rule.id], rule.id
        assert rule.source.removeprefix(GUIDE + ", ").replace("|", "\\|") in rows[rule.id]
