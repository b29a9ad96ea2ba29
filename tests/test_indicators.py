"""Indicator matrices (seed 001 La Victoria–El Agustino, seed 003 Red COMPARTE): each rule
broken and satisfied on a real .xlsx built from the layouts and validated from the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from addin.domain.programme import load_programme
from tests.programme_books import FIRST, check, found

LV = "la-victoria-el-agustino"
#: Programa › inicio of a project whose 30 months ended before the cut-off (30-06-2026).
ENDED = {"inicio": date(2023, 7, 1)}
RUNNING = {"inicio": date(2025, 1, 1)}
IND = "Indicadores"
AV = "Avance"


def indicators(**by_code: dict[str, Any]) -> list[dict[str, Any]]:
    """The four La Victoria–El Agustino rows as `minga nuevo` writes them, plus actuals."""
    rows = []
    for i in load_programme(LV).indicators:
        rows.append({"codigo": i.code, "indicador": i.name, "unidad": i.unit,
                     "meta": i.target, "meta_mujeres_pct": i.women_share,
                     "acumulado": "Sí" if i.cumulative else "No", **by_code.get(i.code, {})})
    return rows


def progress(*rows: tuple[str, str, str, float, float | None, float | None],
             **extra: Any) -> list[dict[str, Any]]:
    """Avance rows: (code, period, territory, total, women, men)."""
    return [{"codigo": c, "periodo": p, "territorio": t, "total": n, "mujeres": w,
             "hombres": m, **extra} for c, p, t, n, w, m in rows]


def rules_of(result: Any) -> set[str]:
    return {f.rule for f in result.findings}


# --- seed 003: the source's own breakdown does not add up -------------------------------------

COMPARTE_FIGURES = {  # «Resultados» of seed 003, in its own words and numbers
    "1": (121, None), "2": (208, None), "3": (12, None), "4": (160_253, None),
    "5": (422, None), "6": (56_000, 30_800),
}
COMPARTE_PARTS = [("1", "Personas", 97), ("1", "Organizaciones", 24),
                  ("2", "Artículos/reflexiones", 72), ("2", "Acciones", 62),
                  ("2", "Eventos", 39), ("2", "Informaciones varias", 32)]


def comparte(parts: list[tuple[str, str, float]]) -> dict[str, list[dict[str, Any]]]:
    d = load_programme("red-comparte")
    return {"indicadores": [{"codigo": i.code, "indicador": i.name, "unidad": i.unit,
                             "meta_mujeres_pct": i.women_share,
                             "logrado": COMPARTE_FIGURES[i.code][0],
                             "logrado_mujeres": COMPARTE_FIGURES[i.code][1]}
                            for i in d.indicators],
            "componentes": [{"codigo": c, "componente": n, "valor": v} for c, n, v in parts]}


def test_comparte_seed_figures_report_205_is_not_208_on_the_resources_total(
        tmp_path: Path) -> None:
    result = check(tmp_path / "comparte.xlsx", "red-comparte", comparte(COMPARTE_PARTS))
    assert found(result) == [("IND-04", IND, f"I{FIRST + 1}")]
    finding = result.findings[0]
    assert "72 + 62 + 39 + 32 = 205 ≠ 208" in finding.message
    assert finding.severity.value == "error" and result.exit_code == 1
    assert "208 recursos compartidos" in finding.source


def test_components_that_add_up_pass(tmp_path: Path) -> None:
    parts = [*COMPARTE_PARTS[:-1], ("2", "Informaciones varias", 35)]
    result = check(tmp_path / "comparte.xlsx", "red-comparte", comparte(parts))
    assert result.findings == []


# --- IND-01 / IND-02: disaggregation by sex -----------------------------------------------------

def test_women_above_the_total_is_an_error_and_within_it_passes(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(), "avance": progress(
        ("1", "Semestre 1", "La Victoria", 25, 30, None))}, RUNNING)
    assert found(bad) == [("IND-01", AV, f"G{FIRST}")]
    good = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(), "avance": progress(
        ("1", "Semestre 1", "La Victoria", 25, 25, None))}, RUNNING)
    assert good.findings == []


def test_stated_women_above_stated_total_is_an_error(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(
        **{"3": {"logrado": 12, "logrado_mujeres": 14}})}, RUNNING)
    assert ("IND-01", IND, f"J{FIRST + 2}") in found(bad)


def test_women_and_men_must_add_up_to_the_total(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(), "avance": progress(
        ("1", "Semestre 1", "El Agustino", 25, 10, 10))}, RUNNING)
    assert found(bad) == [("IND-02", AV, f"F{FIRST}")]
    assert "10 + 10 = 20" in bad.findings[0].message
    good = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(), "avance": progress(
        ("1", "Semestre 1", "El Agustino", 25, 10, 15))}, RUNNING)
    assert good.findings == []


# --- IND-03: parts by period and district add up to the stated total ----------------------------

def test_progress_rows_must_add_up_to_the_stated_total(tmp_path: Path) -> None:
    rows = progress(("1", "Semestre 1", "La Victoria", 30, 12, 18),
                    ("1", "Semestre 2", "El Agustino", 40, 16, 24))
    bad = check(tmp_path / "a.xlsx", LV, {
        "indicadores": indicators(**{"1": {"logrado": 75, "logrado_mujeres": 28}}),
        "avance": rows}, RUNNING)
    assert found(bad) == [("IND-03", IND, f"I{FIRST}")]
    assert "30 + 40 = 70" in bad.findings[0].message and "75" in bad.findings[0].message
    good = check(tmp_path / "b.xlsx", LV, {
        "indicadores": indicators(**{"1": {"logrado": 70, "logrado_mujeres": 28}}),
        "avance": rows}, RUNNING)
    assert good.findings == []


def test_a_cumulative_indicator_adds_the_latest_row_of_each_district(tmp_path: Path) -> None:
    rows = progress(("4", "Semestre 1", "La Victoria", 2, None, None),
                    ("4", "Semestre 2", "La Victoria", 4, None, None),
                    ("4", "Semestre 1", "El Agustino", 3, None, None),
                    ("4", "Semestre 2", "El Agustino", 4, None, None), tipo_valor="Acumulado")
    good = check(tmp_path / "a.xlsx", LV, {
        "indicadores": indicators(**{"4": {"acumulado": "Sí", "logrado": 8}}),
        "avance": rows}, RUNNING)
    assert good.findings == []
    bad = check(tmp_path / "b.xlsx", LV, {
        "indicadores": indicators(**{"4": {"acumulado": "Sí", "logrado": 13}}),
        "avance": rows}, RUNNING)
    assert found(bad) == [("IND-03", IND, f"I{FIRST + 3}")]


# --- IND-05: per period unless the indicator says cumulative ------------------------------------

def test_a_cumulative_value_on_a_per_period_indicator_is_an_error(tmp_path: Path) -> None:
    rows = progress(("2", "Semestre 1", "La Victoria", 40, 24, 16),
                    ("2", "Semestre 2", "La Victoria", 90, 54, 36))
    rows[1]["tipo_valor"] = "Acumulado"
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(), "avance": rows},
                RUNNING)
    assert found(bad) == [("IND-05", AV, f"I{FIRST + 1}")]
    rows[1]["tipo_valor"] = "Del período"
    good = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(), "avance": rows},
                 RUNNING)
    assert good.findings == []


def test_a_cumulative_series_that_goes_down_is_an_error(tmp_path: Path) -> None:
    rows = progress(("4", "Semestre 1", "La Victoria", 3, None, None),
                    ("4", "Semestre 2", "La Victoria", 2, None, None), tipo_valor="Acumulado")
    bad = check(tmp_path / "a.xlsx", LV, {
        "indicadores": indicators(**{"4": {"acumulado": "Sí"}}), "avance": rows}, RUNNING)
    assert found(bad) == [("IND-05", AV, f"F{FIRST + 1}")]


# --- IND-06: «at least» targets are floors ------------------------------------------------------

def test_at_least_160_missed_at_the_end_is_an_error(tmp_path: Path) -> None:
    short = {"2": {"logrado": 150, "logrado_mujeres": 90, "brecha": "Paro de Gamarra"}}
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(**short)}, ENDED)
    assert found(bad) == [("IND-06", IND, f"I{FIRST + 1}")]
    assert "faltan 10" in bad.findings[0].message
    assert "at least 160" in bad.findings[0].source
    running = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(**short)}, RUNNING)
    assert running.findings == []  # not judged before the project ends
    met = check(tmp_path / "c.xlsx", LV, {"indicadores": indicators(
        **{"2": {"logrado": 160, "logrado_mujeres": 96}})}, ENDED)
    assert met.findings == []


# --- IND-07: a target is met or its gap is reported ---------------------------------------------

def test_a_missed_target_without_its_gap_is_a_warning(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(
        **{"1": {"logrado": 70, "logrado_mujeres": 28}})}, ENDED)
    assert found(bad) == [("IND-07", IND, f"I{FIRST}")]
    assert bad.findings[0].severity.value == "warning" and bad.exit_code == 0
    explained = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(
        **{"1": {"logrado": 70, "logrado_mujeres": 28, "brecha": "5 renuncias"}})}, ENDED)
    assert explained.findings == []


def test_women_below_40_percent_of_officials_is_a_warning_with_the_gap(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(
        **{"1": {"logrado": 75, "logrado_mujeres": 20}})}, ENDED)
    assert found(bad) == [("IND-07", IND, f"J{FIRST}")]
    assert "40 %" in bad.findings[0].message and "30 de 75" in bad.findings[0].message
    good = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(
        **{"1": {"logrado": 75, "logrado_mujeres": 30}})}, ENDED)
    assert good.findings == []


def test_four_recyclers_associations_per_district(tmp_path: Path) -> None:
    def rows(victoria: float, agustino: float) -> list[dict[str, Any]]:
        return progress(("4", "Semestre 3", "La Victoria", victoria, None, None),
                        ("4", "Semestre 4", "El Agustino", agustino, None, None))
    stated = {"indicadores": indicators(**{"4": {"logrado": 8}})}
    bad = check(tmp_path / "a.xlsx", LV, {**stated, "avance": rows(5, 3)}, ENDED)
    assert found(bad) == [("IND-07", IND, f"I{FIRST + 3}")]  # 8 in all, but 3 in El Agustino
    assert "En El Agustino se logró 3 de su meta 4" in bad.findings[0].message
    good = check(tmp_path / "b.xlsx", LV, {**stated, "avance": rows(4, 4)}, ENDED)
    assert good.findings == []


def test_a_past_period_below_its_target_needs_an_explanation(tmp_path: Path) -> None:
    row = {"codigo": "3", "periodo": "Semestre 1", "fin_periodo": date(2025, 6, 30),
           "territorio": "La Victoria", "meta_periodo": 5, "total": 3}
    bad = check(tmp_path / "a.xlsx", LV, {"indicadores": indicators(), "avance": [row]},
                RUNNING)
    assert found(bad) == [("IND-07", AV, f"F{FIRST}")]
    good = check(tmp_path / "b.xlsx", LV, {"indicadores": indicators(), "avance": [
        {**row, "observaciones": "Feria postergada al semestre 2"}]}, RUNNING)
    assert good.findings == []


# --- the definitions themselves -----------------------------------------------------------------

def test_la_victoria_el_agustino_has_its_four_targets() -> None:
    d = load_programme(LV)
    assert d.calendar is not None and d.calendar.total_months == 30
    got = [(i.target, i.women_share, i.target_kind, i.women_target) for i in d.indicators]
    assert got == [(75, 0.40, "meta", 30), (160, 0.60, "minimo", 96), (20, None, "meta", None),
                   (8, None, "meta", None)]
    assert d.indicators[3].territory_targets == {"La Victoria": 4, "El Agustino": 4}


def test_district_targets_that_do_not_add_up_are_refused(tmp_path: Path) -> None:
    from addin.errors import MingaError

    mine = tmp_path / "mio.yaml"
    mine.write_text("extends: la-victoria-el-agustino\nid: mio\nindicators:\n"
                    "  - key: x\n    code: '9'\n    name: X\n    target: 8\n"
                    "    territory_targets: {La Victoria: 4, El Agustino: 3}\n", "utf-8")
    with pytest.raises(MingaError, match="suman 7, no su meta 8"):
        load_programme(mine)
