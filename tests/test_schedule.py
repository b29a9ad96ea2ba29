"""The schedule engine: week columns partition the convenio; activities land in their months."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addin.domain.dates import add_months
from addin.domain.programme import load_programme
from addin.domain.schedule import ConvenioCalendar, schedule
from addin.errors import MingaError

D15 = load_programme("ecomercado-15m")
D10 = load_programme("ecomercado-10m")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2190, 1, 1)),
       st.sampled_from([D10, D15]))
def test_week_columns_partition_the_convenio(start: date, definition) -> None:
    cal = ConvenioCalendar(definition.calendar, start)
    weeks = cal.weeks
    assert len(weeks) == definition.calendar.total_weeks
    assert weeks[0].start == start
    assert weeks[-1].end == cal.end
    for before, after in itertools.pairwise(weeks):
        assert after.start == before.end + timedelta(days=1)
        assert before.start <= before.end
    # Every week has 7 or 8 days: a month of 28–31 days split in four.
    assert all(6 <= (w.end - w.start).days <= 7 for w in weeks)


@given(st.one_of(st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31)),
                 st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2300, 12, 31))),
       st.integers(min_value=-240, max_value=240))
def test_month_arithmetic_is_dateutils_relativedelta(day: date, months: int) -> None:
    """The schedule and the session cadences (SES rules) move dates by months without loading
    dateutil on a press: the same day, clipped to the month's end, as ``relativedelta``."""
    from dateutil.relativedelta import relativedelta

    assert add_months(day, months) == day + relativedelta(months=months)
    assert type(add_months(day, months)) is type(day)


def test_month_arithmetic_clips_to_the_end_of_february() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2100, 1, 31), 1) == date(2100, 2, 28)
    assert add_months(date(2000, 3, 31), -1) == date(2000, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_months_follow_edate_from_the_31st() -> None:
    cal = ConvenioCalendar(D10.calendar, date(2027, 1, 31))
    assert cal.month_start(2) == date(2027, 2, 28)  # EDATE(31-01-2027, 1)
    assert cal.month_start(3) == date(2027, 3, 31)  # EDATE(31-01-2027, 2), not 28-03
    assert cal.end == date(2027, 11, 29)  # EDATE(31-01-2027, 10) - 1


def test_15m_implementation_runs_from_execution_month_7_to_13() -> None:
    start = date(2026, 3, 2)
    by_key = {s.activity.key: s for s in schedule(D15, start)}
    cal = ConvenioCalendar(D15.calendar, start)
    impl = by_key["implementacion_plan_trabajo"]
    assert impl.start == cal.execution_month_start(7) == date(2026, 10, 2)
    assert impl.end == cal.execution_month_end(13) == date(2027, 5, 1)
    assert (impl.first_week, impl.last_week) == ((1 + 6) * 4, (1 + 13) * 4 - 1)


def test_15m_reports_fall_due_at_the_end_of_months_9_11_13() -> None:
    start = date(2026, 3, 2)
    cal = ConvenioCalendar(D15.calendar, start)
    reports = [s for s in schedule(D15, start) if s.activity.report]
    assert [(s.start, s.end) for s in reports] == [
        (cal.execution_month_end(m), cal.execution_month_end(m)) for m in (9, 11, 13)]
    assert [r.last_week for r in reports] == [(1 + m) * 4 - 1 for m in (9, 11, 13)]


def test_10m_single_report_in_month_8_and_projection_from_mid_month_6() -> None:
    start = date(2026, 3, 2)
    by_key = {s.activity.key: s for s in schedule(D10, start)}
    cal = ConvenioCalendar(D10.calendar, start)
    assert by_key["informe_avance_1"].end == cal.execution_month_end(8)
    proj = by_key["proyeccion"]
    assert proj.first_week == (1 + 5) * 4 + 2  # execution month 6, week 3
    assert proj.end == cal.execution_end


def test_every_activity_fits_inside_the_execution() -> None:
    for definition in (D10, D15):
        cal = ConvenioCalendar(definition.calendar, date(2026, 3, 2))
        for item in schedule(definition, date(2026, 3, 2)):
            assert cal.execution_start <= item.start <= item.end <= cal.execution_end


def test_absurd_start_date_is_refused_in_spanish() -> None:
    with pytest.raises(MingaError, match="fuera de rango"):
        schedule(D10, date(1899, 12, 31))
