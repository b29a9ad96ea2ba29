"""The demo package: planted defects of the new kinds, allowed variants left alone, and no
shipped action depending on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.actions.validate import validate_file
from addin.demo import CUTOFF, build_demo, demo_data
from addin.domain.programme import load_programme

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[list, list]:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    planted = build_demo(path)
    result, _ = validate_file(path, cutoff=CUTOFF)
    return planted, result.findings


def test_the_demo_plants_the_new_kinds_of_defect(demo: tuple[list, list]) -> None:
    planted, findings = demo
    kinds = {p.rule for p in planted}
    assert {"VER-01", "SES-07", "INV-08"} <= kinds  # missing verifier, session out of its
    found = {(f.rule, f.sheet, f.cell) for f in findings}  # window, acta before the choice
    assert {(p.rule, p.sheet, p.cell) for p in planted} == found


def test_the_demos_allowed_variants_are_not_flagged(demo: tuple[list, list]) -> None:
    """An audiovisual record instead of a list, a líder natural, a plan led by the community."""
    _, findings = demo
    data = demo_data(load_programme("ecomercado-15m"))
    first = 4  # first data row of a table sheet
    variants = {
        ("Sesiones", next(first + i for i, s in enumerate(data["sesiones"])
                          if s["lista_asistencia"] == "No" and s["registro_audiovisual"])),
        ("Integrantes", next(first + i for i, m in enumerate(data["integrantes"])
                             if m["representa"] == "Líder/lideresa natural"
                             and m["organizacion"] is None)),
        ("Sesiones", next(first + i for i, s in enumerate(data["sesiones"])
                          if s["tipo"] == "Elaboración del plan de trabajo"
                          and s["instancia"] == "Comunidad organizada")),
    }
    flagged = {(f.sheet, int("".join(c for c in f.cell or "" if c.isdigit()) or 0))
               for f in findings}
    assert not variants & flagged


def test_no_shipped_action_imports_the_demo() -> None:
    for source in (ROOT / "addin" / "actions").glob("*.py"):
        assert "addin.demo" not in source.read_text("utf-8"), source.name
    assert not (ROOT / "addin" / "actions" / "demo.py").exists()
