"""Staged roadmap with a community savings fund (seed 000, Conecta Perú): the fund's rules
broken and satisfied, and the roadmap judged by the generic schedule rules — on real .xlsx."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from addin.actions.build import build_file
from addin.actions.validate import validate_file
from addin.domain.programme import load_programme
from tests.programme_books import FIRST, check, found

CP = "conecta-peru"
START = {"inicio": date(2022, 6, 1)}
FUND = "Fondo de ahorro"
WATER = "Mejora del sistema de agua"
CHURIA = "Asociación productiva de San José de Churia"
CHALCO = "Asociación productiva de Chalco"


def ledger(*moves: tuple[str, str, float | None, float | None, str | None]
           ) -> list[dict[str, Any]]:
    """(date, association, contribution, withdrawal, purpose) rows; «saldo» keeps its formula."""
    return [{"fecha": date.fromisoformat(d), "asociacion": a, "aporte": c, "retiro": w,
             "proposito": p} for d, a, c, w, p in moves]


HEALTHY = ledger(("2022-10-05", CHURIA, 1500, None, None),
                 ("2022-11-05", CHALCO, 1200, None, None),
                 ("2023-04-10", CHURIA, None, 2000, WATER),
                 ("2023-05-05", CHALCO, 800, None, None))


def test_a_healthy_ledger_reports_only_its_progress(tmp_path: Path) -> None:
    result = check(tmp_path / "a.xlsx", CP, {"fondo": HEALTHY}, START, cutoff=date(2023, 6, 1))
    assert found(result) == [("FON-05", "Programa", "B11")]
    assert "3.500,00 PEN" in result.findings[0].message
    assert "35 % de su meta de 10.000,00 PEN" in result.findings[0].message
    assert result.exit_code == 0


def test_a_withdrawal_beyond_the_savings_is_an_error(tmp_path: Path) -> None:
    moves = ledger(("2022-10-05", CHURIA, 1500, None, None),
                   ("2023-04-10", CHURIA, None, 2000, WATER),
                   ("2023-05-05", CHALCO, 800, None, None))
    result = check(tmp_path / "a.xlsx", CP, {"fondo": moves}, START, cutoff=date(2023, 6, 1))
    assert ("FON-02", FUND, f"E{FIRST + 1}") in found(result)
    assert "-500,00 PEN" in next(f for f in result.findings if f.rule == "FON-02").message


def test_withdrawals_only_for_water_and_sanitation(tmp_path: Path) -> None:
    moves = [*HEALTHY[:2], {**HEALTHY[2], "proposito": None}]
    moves[2]["detalle"] = "Fiesta patronal"
    result = check(tmp_path / "a.xlsx", CP, {"fondo": moves}, START, cutoff=date(2023, 6, 1))
    assert ("FON-04", FUND, f"F{FIRST + 2}") in found(result)
    assert all(f.rule != "FON-04" for f in check(
        tmp_path / "b.xlsx", CP, {"fondo": HEALTHY}, START, cutoff=date(2023, 6, 1)).findings)


def test_one_movement_per_row_and_positive_amounts(tmp_path: Path) -> None:
    moves = ledger(("2022-10-05", CHURIA, 1500, 100, WATER),
                   ("2022-11-05", CHALCO, -50, None, None))
    result = check(tmp_path / "a.xlsx", CP, {"fondo": moves}, START, cutoff=date(2023, 6, 1))
    assert [(r, c) for r, _, c in found(result) if r == "FON-01"] == [
        ("FON-01", f"D{FIRST}"), ("FON-01", f"D{FIRST + 1}")]


def test_a_balance_typed_over_the_formula_must_match(tmp_path: Path) -> None:
    moves = [{**m} for m in HEALTHY]
    moves[1]["saldo"] = 2800  # 1500 + 1200 = 2700
    result = check(tmp_path / "a.xlsx", CP, {"fondo": moves}, START, cutoff=date(2023, 6, 1))
    assert ("FON-03", FUND, f"G{FIRST + 1}") in found(result)
    moves[1]["saldo"] = 2700
    ok = check(tmp_path / "b.xlsx", CP, {"fondo": moves}, START, cutoff=date(2023, 6, 1))
    assert all(f.rule != "FON-03" for f in ok.findings)


def test_target_not_reached_at_closing_is_a_warning(tmp_path: Path) -> None:
    short = check(tmp_path / "a.xlsx", CP, {"fondo": HEALTHY}, START, cutoff=date(2023, 12, 1))
    assert ("FON-06", "Programa", "B11") in found(short)
    assert "faltan 6.500,00 PEN" in next(f for f in short.findings if f.rule == "FON-06").message
    reached = [*HEALTHY, *ledger(("2023-08-01", CHURIA, 6500, None, None))]
    done = check(tmp_path / "b.xlsx", CP, {"fondo": reached}, START, cutoff=date(2023, 12, 1))
    assert all(f.rule != "FON-06" for f in done.findings)


def test_the_roadmap_is_a_populated_gantt_judged_by_the_schedule_rules(tmp_path: Path) -> None:
    path = build_file(load_programme(CP), tmp_path / "ruta.xlsx", start=date(2022, 6, 1))
    result, _ = validate_file(path, cutoff=date(2022, 7, 1))
    assert result.findings == []
    import openpyxl

    wb = openpyxl.load_workbook(path)
    gantt = wb["Carta Gantt"]
    assert gantt["A1"].value == "Ruta de la Sostenibilidad — hoja de ruta por etapas"
    codes = {gantt.cell(r, 1).value: r for r in range(1, gantt.max_row + 1)}
    gantt.cell(codes["1.1"], 4).value = date(2022, 6, 20)
    gantt.cell(codes["2.1"], 4).value = date(2022, 6, 15)  # stage 2 starts before stage 1
    wb.save(path)
    result, _ = validate_file(path, cutoff=date(2022, 7, 1))
    assert [(f.rule, f.cell) for f in result.findings] == [("GANTT-05", f"D{codes['2.1']}")]
    assert result.findings[0].source.startswith("Sistema B Perú")  # not the FOSIS guide
