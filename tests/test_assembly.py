"""A one-day assembly (seed 002, PIT Arauca): the agenda's times, groups and leaders, the mesa
work plan — each rule broken and satisfied on a real .xlsx — and `minga agrupar`."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.actions.grouping import group_file
from addin.actions.validate import validate_file
from addin.domain.programme import load_programme
from addin.errors import MingaError
from tests.programme_books import FIRST, build, check, found

PIT = "asamblea-pit-arauca"
AG = "Agenda"
INS = "Inscripción"
PLAN = "Plan de mesas"
DAY = date(2023, 11, 18)
BEFORE, AFTER = date(2023, 11, 10), date(2023, 11, 30)

#: The agenda of seed 002 as its table gives it: (momento, tipo, inicio, término), times as
#: typed in the document.
SEED_AGENDA = [
    ("Inscripción y registro", "Registro", "7:30 am", "7:59 am"),
    ("Instalación", "Actividad", "8:00 am", "8:30 am"),
    ("Espacio Min. Trabajo", "Actividad", "8:30 am", "11:00 am"),
    ("Receso", "Receso", "11:00 am", "11:30 am"),
    ("Momento 1 Diagnóstico socioeconómico de la región", "Actividad", "11:30 am", "12:15 am"),
    ("Almuerzo", "Receso", "12:15", "1:15 pm"),
    ("Momento 2 Presentación balance de gestión Unidad Solidaria y PIT", "Actividad",
     "1:15 pm", "2:15 pm"),
    ("Momento 3 Diálogos entre las experiencias del PIT", "Actividad", "2:15 pm", "2:45 pm"),
    ("Momento 4 Voces y apuestas de la economía popular, solidaria y comunitaria",
     "Actividad", "2:45 pm", "3:45 pm"),
    ("Receso", "Receso", "3:45 pm", "4:00 pm"),
    ("Momento 5 Plenaria y aprobación de agenda", "Actividad", "4:00 pm", "4:30 pm"),
]


def agenda(slots: list[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    return [{"n": i, "momento": m, "tipo": t, "inicio": a, "termino": b}
            for i, (m, t, a, b) in enumerate(slots, start=1)]


def fixed(**changes: tuple[str, str, str, str]) -> list[tuple[str, str, str, str]]:
    """The seed's agenda with its two mistakes corrected, and ``changes`` by row index."""
    slots = list(SEED_AGENDA)
    slots[4] = (*slots[4][:3], "12:15 pm")
    slots[9] = ("Receso", "Receso", "3:45 pm", "3:50 pm")
    slots[10] = (slots[10][0], "Actividad", "3:50 pm", "4:00 pm")
    for index, slot in changes.items():
        slots[int(index.removeprefix("r"))] = slot
    return slots


def test_seed_agenda_reports_the_plenary_past_16_00_and_the_impossible_slot(
        tmp_path: Path) -> None:
    result = check(tmp_path / "asamblea.xlsx", PIT, {"agenda": agenda(SEED_AGENDA)},
                   cutoff=BEFORE)
    assert found(result) == [("ASM-01", AG, f"E{FIRST + 4}"), ("ASM-02", AG, f"E{FIRST + 10}")]
    impossible, plenary = result.findings
    assert "termina a las 0:15, antes de empezar (11:30)" in impossible.message
    assert "¿quiso decir 12:15 pm" in impossible.message
    assert "11:30 am – 12:15 am" in impossible.source
    assert "termina a las 16:30" in plenary.message and "8:00 a 16:00" in plenary.message
    assert "Horario: 8:00 am – 4:00 pm" in plenary.source


def test_the_corrected_agenda_passes(tmp_path: Path) -> None:
    result = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(fixed())}, cutoff=BEFORE)
    assert result.findings == []


def test_registration_may_open_30_minutes_early_but_no_earlier(tmp_path: Path) -> None:
    early = fixed(r0=("Inscripción y registro", "Registro", "7:00", "8:00"))
    bad = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(early)}, cutoff=BEFORE)
    assert found(bad) == [("ASM-02", AG, f"D{FIRST}")]
    as_activity = fixed(r0=("Inscripción y registro", "Actividad", "7:30", "8:00"))
    bad = check(tmp_path / "b.xlsx", PIT, {"agenda": agenda(as_activity)}, cutoff=BEFORE)
    assert found(bad) == [("ASM-02", AG, f"D{FIRST}")]


def test_the_announced_day_comes_from_programa(tmp_path: Path) -> None:
    later = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(SEED_AGENDA[:4])},
                  {"hora_inicio": "9:00"}, cutoff=BEFORE)
    # 7:30 registration (more than 30 minutes before 9:00), 8:00 and 8:30: too early
    assert found(later) == [("ASM-02", AG, f"D{FIRST + i}") for i in range(3)]


def test_overlapping_moments_are_an_error(tmp_path: Path) -> None:
    slots = fixed(r7=("Momento 3 Diálogos", "Actividad", "2:00 pm", "2:45 pm"))
    bad = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(slots)}, cutoff=BEFORE)
    assert found(bad) == [("ASM-03", AG, f"D{FIRST + 7}")]


def test_a_gap_is_a_warning_unless_it_is_a_break_row(tmp_path: Path) -> None:
    without_break = [s for i, s in enumerate(fixed()) if i != 3]  # drop the 11:00 receso
    bad = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(without_break)}, cutoff=BEFORE)
    assert found(bad) == [("ASM-04", AG, f"D{FIRST + 3}")]
    assert "30 minutos" in bad.findings[0].message and bad.exit_code == 0
    assert check(tmp_path / "b.xlsx", PIT, {"agenda": agenda(fixed())},
                 cutoff=BEFORE).findings == []  # 7:59 → 8:00 is within the 1-minute tolerance


def test_a_time_that_does_not_exist_is_a_reading_error(tmp_path: Path) -> None:
    bad = check(tmp_path / "a.xlsx", PIT, {"agenda": agenda(
        fixed(r1=("Instalación", "Actividad", "8:00", "25:30")))}, cutoff=BEFORE)
    assert found(bad) == [("LECTURA-03", AG, f"E{FIRST + 1}")]


# --- registration, groups, leaders ---------------------------------------------------------------

TERRITORIES = ("Arauca", "Saravena", "Tame", "Arauquita", "Fortul")
KINDS = ("Economía popular", "Economía solidaria", "Economía comunitaria")


def registrants(n: int) -> list[dict[str, Any]]:
    return [{"n": i + 1, "nombre": f"Persona {i + 1}", "territorio": TERRITORIES[i % 7 % 5],
             "tipo_organizacion": KINDS[i % 3], "conoce_pit": "Sí" if i % 9 == 4 else "No"}
            for i in range(n)]


def test_grouping_500_registrants_makes_5_groups_of_100_with_a_leader_per_20(
        tmp_path: Path) -> None:
    path = build(tmp_path / "a.xlsx", PIT, {"inscripcion": registrants(500)})
    result, saved = group_file(path)
    assert result.group_sizes == {1: 100, 2: 100, 3: 100, 4: 100, 5: 100}
    assert result.subgroups == 25 and saved is not None and saved.exists()
    sheet = openpyxl.load_workbook(path)[INS]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=FIRST, max_row=FIRST + 499)]
    head = [c.value for c in sheet[FIRST - 1]]
    col = {name: head.index(name) for name in ("Subgrupo", "Líder del subgrupo", "Mesa",
                                               "Grupo", "Conoce el PIT / participó antes")}
    sizes = Counter(r[col["Subgrupo"]] for r in rows)
    assert set(sizes.values()) == {20} and len(sizes) == 25
    leaders = [r for r in rows if r[col["Líder del subgrupo"]] == "Sí"]
    assert len(leaders) == 25 and len({r[col["Subgrupo"]] for r in leaders}) == 25
    assert all(r[col["Conoce el PIT / participó antes"]] == "Sí" for r in leaders)
    assert {r[col["Mesa"]] for r in rows if r[col["Grupo"]] == 2} == {"Mesa 2"}
    validated, _ = validate_file(path, cutoff=BEFORE)
    assert validated.findings == []


def test_grouping_balanced_by_territory_spreads_each_territory(tmp_path: Path) -> None:
    people = registrants(200)
    path = build(tmp_path / "a.xlsx", PIT, {"inscripcion": people})
    group_file(path, balance="territorio", keep_backup=False)
    sheet = openpyxl.load_workbook(path)[INS]
    head = [c.value for c in sheet[FIRST - 1]]
    sub, ter = head.index("Subgrupo"), head.index("Municipio / territorio")
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=FIRST, max_row=FIRST + 199)]
    totals = Counter(r[ter] for r in rows)
    for subgroup in {r[sub] for r in rows}:
        here = Counter(r[ter] for r in rows if r[sub] == subgroup)
        share = sum(here.values()) / len(rows)
        for territory, count in totals.items():
            assert abs(here[territory] - count * share) <= 1, (subgroup, territory)


def test_more_registrants_than_the_groups_hold_is_refused_without_touching_the_file(
        tmp_path: Path) -> None:
    path = build(tmp_path / "a.xlsx", PIT, {"inscripcion": registrants(501)})
    before = path.read_bytes()
    with pytest.raises(MingaError, match="hay 501 personas inscritas y 5 grupos de 100"):
        group_file(path)
    assert path.read_bytes() == before


def test_minga_agrupar_on_the_command_line(tmp_path: Path) -> None:
    path = build(tmp_path / "a.xlsx", PIT, {"inscripcion": registrants(37)})
    done = subprocess.run([sys.executable, "-m", "addin", "agrupar", str(path),
                           "--equilibrar", "tipo", "--sin-respaldo"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "37 personas en 5 grupos y 5 subgrupos" in " ".join(done.stdout.split())
    wrong = subprocess.run([sys.executable, "-m", "addin", "agrupar", str(path),
                            "--equilibrar", "edad"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "territorio" in wrong.stderr


def test_group_and_subgroup_sizes_and_the_reach(tmp_path: Path) -> None:
    people = registrants(45)
    for p in people:
        p.update(grupo=1, subgrupo="1.1", lider="No")
    people[0]["lider"] = "Sí"
    bad = check(tmp_path / "a.xlsx", PIT, {"inscripcion": people}, {"alcance": 600},
                cutoff=BEFORE)
    assert found(bad) == [("ASM-05", "Programa", "B11"), ("ASM-05", INS, "N24")]
    assert "el máximo es 20" in bad.findings[1].message


def test_each_subgroup_has_exactly_one_leader(tmp_path: Path) -> None:
    people = registrants(6)
    for i, p in enumerate(people):
        p.update(grupo=1, subgrupo="1.1" if i < 3 else "1.2", lider="No")
    people[3]["lider"] = people[4]["lider"] = "Sí"
    bad = check(tmp_path / "a.xlsx", PIT, {"inscripcion": people}, cutoff=BEFORE)
    assert found(bad) == [("ASM-06", INS, f"O{FIRST}"), ("ASM-06", INS, f"O{FIRST + 4}")]
    people[4]["lider"] = "No"
    people[0]["lider"] = "Sí"
    good = check(tmp_path / "b.xlsx", PIT, {"inscripcion": people}, cutoff=BEFORE)
    assert good.findings == []


# --- the mesa work plan -----------------------------------------------------------------------

def plan_rows(**blank: int) -> list[dict[str, Any]]:
    mesas = load_programme(PIT).assembly.mesas  # type: ignore[union-attr]
    rows = [{"mesa": m, "subgrupo": f"{i}.1", "necesidad": "Crédito sin garantías",
             "solucion": "Fondo rotatorio entre asociaciones", "quien": "Cooperativas",
             "como": "Aportes mensuales", "cuando": "2024–2026", "vocero": "Ana"}
            for i, m in enumerate(mesas, start=1)]
    for key, index in blank.items():
        rows[index][key] = None
    return rows


def test_every_mesa_has_need_solution_and_who_how_when(tmp_path: Path) -> None:
    form = {"fecha": DAY}
    bad = check(tmp_path / "a.xlsx", PIT, {"plan_mesas": plan_rows(cuando=2)}, form, AFTER)
    assert found(bad) == [("ASM-07", PLAN, f"G{FIRST + 2}")]
    assert "¿cuándo?" in bad.findings[0].message
    good = check(tmp_path / "b.xlsx", PIT, {"plan_mesas": plan_rows()}, form, AFTER)
    assert good.findings == []


def test_a_mesa_without_any_need_after_the_assembly_is_an_error(tmp_path: Path) -> None:
    rows = plan_rows()[:4]
    bad = check(tmp_path / "a.xlsx", PIT, {"plan_mesas": rows}, {"fecha": DAY}, AFTER)
    assert found(bad) == [("ASM-07", PLAN, f"A{FIRST + 4}")]
    assert "Mesa 5" in bad.findings[0].message
    before = check(tmp_path / "b.xlsx", PIT, {}, {"fecha": DAY}, BEFORE)
    assert before.findings == []  # the template's empty mesas are not due before the day


def test_at_most_two_needs_per_subgroup(tmp_path: Path) -> None:
    rows = plan_rows()
    rows += [{**rows[0], "necesidad": n} for n in ("Mercados", "Transporte")]
    bad = check(tmp_path / "a.xlsx", PIT, {"plan_mesas": rows}, {"fecha": DAY}, AFTER)
    assert found(bad) == [("ASM-08", PLAN, f"C{FIRST + 6}")]
    good = check(tmp_path / "b.xlsx", PIT, {"plan_mesas": rows[:6]}, {"fecha": DAY}, AFTER)
    assert good.findings == []


def test_an_unquoted_yaml_hour_means_the_hour(tmp_path: Path) -> None:
    """YAML 1.1 reads `day_end: 16:30` as 990 (base 60); it is half past four, not 990 s."""
    mine = tmp_path / "mia.yaml"
    mine.write_text("extends: asamblea-pit-arauca\nid: mia\nassembly:\n  day_start: 9:00\n"
                    "  day_end: 16:30\n", "utf-8")
    assembly = load_programme(mine).assembly
    assert assembly is not None
    assert (assembly.day_start, assembly.day_end) == (time(9, 0), time(16, 30))
