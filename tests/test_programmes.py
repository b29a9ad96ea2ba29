"""Programme definitions: the built-ins encode RULES.md §1; user files extend and fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.domain.programme import builtin_ids, load_programme
from addin.errors import MingaError

# RULES.md §1, by hand: (start month, start week, end month, end week) of execution months;
# "L" is the last execution month (8 for 10 months, 13 for 15).
EXPECTED_WINDOWS = {
    "socializacion": ((1, 1, 1, 2), (1, 1, 1, 2)),
    "analisis_situacional": ((1, 3, 1, 4), (1, 3, 1, 4)),
    "conformacion_grupo_motor": ((2, 1, 3, 2), (2, 1, 3, 2)),
    "conformacion_consejo_local": ((3, 3, 4, 4), (3, 3, 4, 4)),
    "transferencia_tecnica": ((5, 1, 8, 4), (5, 1, 13, 4)),
    "priorizacion": ((5, 3, 6, 1), (5, 3, 6, 1)),
    "elaboracion_plan_trabajo": ((6, 1, 6, 4), (6, 1, 6, 4)),
    "elaboracion_plan_comunicaciones": ((6, 1, 6, 4), (6, 1, 6, 4)),
    "implementacion_plan_trabajo": ((7, 1, 8, 4), (7, 1, 13, 4)),
    "implementacion_plan_comunicaciones": ((7, 1, 8, 4), (7, 1, 13, 4)),
    "proyeccion": ((6, 3, 8, 4), (7, 1, 13, 4)),
    "traspaso_bienes": ((8, 1, 8, 4), (13, 1, 13, 4)),
}
REPORT_MONTHS = {"ecomercado-10m": [8], "ecomercado-15m": [9, 11, 13]}


def test_builtin_programmes_are_listed() -> None:
    assert builtin_ids() == ["asamblea-pit-arauca", "conecta-peru", "ecomercado-10m",
                             "ecomercado-15m", "la-victoria-el-agustino", "red-comparte"]


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_every_rules_activity_has_its_window(variant: str) -> None:
    definition = load_programme(variant)
    which = 0 if variant.endswith("10m") else 1
    for key, windows in EXPECTED_WINDOWS.items():
        activity = definition.activity(key)
        w = activity.window
        got = (definition.month_number(w.start), w.start.week,
               definition.month_number(w.end), w.end.week)
        assert got == windows[which], key
        assert activity.mandatory


@pytest.mark.parametrize("variant", ["ecomercado-10m", "ecomercado-15m"])
def test_calendar_and_reports_follow_rules(variant: str) -> None:
    d = load_programme(variant)
    execution = 8 if variant.endswith("10m") else 13
    assert (d.calendar.start_months, d.calendar.execution_months,
            d.calendar.closing_months) == (1, execution, 1)
    assert d.calendar.total_weeks == (40 if variant.endswith("10m") else 60)
    assert [d.month_number(a.window.end) for a in d.reports] == REPORT_MONTHS[variant]
    assert [a.report for a in d.reports] == list(range(1, len(REPORT_MONTHS[variant]) + 1))


def test_minimum_sessions_cadences_and_plans_follow_rules() -> None:
    d = load_programme("ecomercado-15m")
    minima = {s.key: s.minimum for s in d.session_types}
    assert minima["socializacion"] == 1
    assert minima["diagnostico"] == 1
    assert minima["priorizacion"] == 1
    assert minima["plan_trabajo"] == 2
    assert minima["plan_comunicaciones"] == 2
    assert minima["proyeccion"] == 2
    assert {c.body: c.every_months for c in d.cadences} == {"Grupo Motor": 1,
                                                             "Consejo Local": 2}
    plans = {p.key: p for p in d.plans}
    # «liderado por Grupo Motor y/o comunidad organizada» (issue 12 §1.2)
    assert plans["plan_trabajo"].led_by == ("Grupo Motor", "Comunidad organizada")
    assert plans["plan_comunicaciones"].led_by == ("Consejo Local",)
    assert len(plans["plan_trabajo"].scopes) == 4
    assert len(plans["plan_comunicaciones"].scopes) == 4
    assert "alianza" in plans["plan_trabajo"].required_fields
    assert d.grupo_motor_min_members == 5
    assert len(d.internal_procedure_contents) == 10


def test_user_file_extends_a_builtin_and_overrides_a_window(tmp_path: Path) -> None:
    path = tmp_path / "mio.yaml"
    path.write_text(
        "extends: ecomercado-15m\n"
        "id: ecomercado-15m-biobio\n"
        "grupo_motor_min_members: 7\n"
        "activities:\n"
        "  priorizacion:\n"
        "    window: {start: {month: 5, week: 2}, end: {month: 5, week: 4}}\n",
        encoding="utf-8",
    )
    d = load_programme(path)
    assert d.id == "ecomercado-15m-biobio"
    assert d.grupo_motor_min_members == 7
    w = d.activity("priorizacion").window
    assert (w.start.month, w.start.week, w.end.month, w.end.week) == (5, 2, 5, 4)
    # Everything else is inherited.
    assert d.activity("proyeccion").window.start.month == 7
    assert len(d.activities) == len(load_programme("ecomercado-15m").activities)


def test_override_of_an_unknown_activity_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mio.yaml"
    path.write_text("extends: ecomercado-10m\nactivities:\n  no_existe: {name: x}\n", "utf-8")
    with pytest.raises(MingaError, match="no_existe"):
        load_programme(path)


def test_window_beyond_the_execution_is_a_spanish_error(tmp_path: Path) -> None:
    path = tmp_path / "mal.yaml"
    path.write_text(
        "extends: ecomercado-10m\nactivities:\n"
        "  proyeccion: {window: {start: {month: 6, week: 1}, end: {month: 12, week: 4}}}\n",
        encoding="utf-8")
    with pytest.raises(MingaError) as info:
        load_programme(path)
    assert "no es válida" in str(info.value)
    assert "mes 12" in str(info.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "roto.yaml"
    path.write_text("id: x\ncalendar: [\n", encoding="utf-8")
    with pytest.raises(MingaError, match="línea"):
        load_programme(path)


def test_unknown_programme_lists_the_builtins() -> None:
    with pytest.raises(MingaError) as info:
        load_programme("ecomercado-12m")
    assert "ecomercado-10m" in str(info.value) and "ecomercado-15m" in str(info.value)
