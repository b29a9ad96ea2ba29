"""The schedule engine: from a programme definition and a start date to dated activities.

The carta Gantt splits each convenio month into ``weeks_per_month`` columns.  A month starts on
the same day of the month as the convenio (``EDATE`` semantics: 31 January + 1 month = 28/29
February), and week ``q`` of a month of ``d`` days starts ``floor((q-1)·d/weeks)`` days in.
The workbook's header formulas use the same arithmetic (``EDATE`` and ``INT``), so the
calendar drawn by Excel, LibreOffice or Google Sheets matches this one to the day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property

from addin.domain.dates import add_months
from addin.domain.lean import dataclass
from addin.domain.programme import (
    Activity,
    ActivityKind,
    Calendar,
    Phase,
    ProgrammeDefinition,
    WeekRef,
)
from addin.errors import MingaError

#: Earliest and latest start dates minga accepts: Excel's date system and common sense.
MIN_START = date(1990, 1, 1)
MAX_START = date(2199, 12, 31)


@dataclass(frozen=True)
class Week:
    """One week column of the carta Gantt."""

    index: int  # 0-based column among the week columns
    convenio_month: int  # 1-based month of the convenio
    week: int  # 1-based week within the month
    phase: Phase
    phase_month: int  # 1-based month within its phase (execution month for EJECUCIÓN)
    start: date
    end: date


@dataclass(frozen=True)
class ScheduledActivity:
    """An activity placed in a convenio's calendar: its dates and its week columns."""

    activity: Activity
    start: date
    end: date
    first_week: int
    last_week: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class ConvenioCalendar:
    """The dated calendar of one convenio."""

    def __init__(self, calendar: Calendar, start: date) -> None:
        if not MIN_START <= start <= MAX_START:
            raise MingaError(
                f"La fecha de inicio {start:%d-%m-%Y} está fuera de rango.",
                fix=f"Use una fecha entre {MIN_START:%d-%m-%Y} y {MAX_START:%d-%m-%Y}.",
            )
        self.calendar = calendar
        self.start = start

    def month_start(self, convenio_month: int) -> date:
        """First day of a 1-based convenio month (``month_start(n+1)`` ends month ``n``)."""
        return add_months(self.start, convenio_month - 1)

    def convenio_month(self, ref: WeekRef) -> int:
        cal = self.calendar
        offset, months = {
            Phase.START: (0, cal.start_months),
            Phase.EXECUTION: (cal.start_months, cal.execution_months),
            Phase.CLOSING: (cal.start_months + cal.execution_months, cal.closing_months),
        }[ref.phase]
        month = months if ref.month == "last" else ref.month
        return offset + month

    @cached_property
    def weeks(self) -> list[Week]:
        cal = self.calendar
        out: list[Week] = []
        phase_start = {Phase.START: 1, Phase.EXECUTION: cal.start_months + 1,
                       Phase.CLOSING: cal.start_months + cal.execution_months + 1}
        for month in range(1, cal.total_months + 1):
            first, nxt = self.month_start(month), self.month_start(month + 1)
            days = (nxt - first).days
            starts = [first + timedelta(days=(q * days) // cal.weeks_per_month)
                      for q in range(cal.weeks_per_month)] + [nxt]
            phase = cal.phase_of(month)
            for q in range(cal.weeks_per_month):
                out.append(Week(
                    index=len(out), convenio_month=month, week=q + 1, phase=phase,
                    phase_month=month - phase_start[phase] + 1,
                    start=starts[q], end=starts[q + 1] - timedelta(days=1),
                ))
        return out

    def week_of(self, ref: WeekRef) -> Week:
        month = self.convenio_month(ref)
        return self.weeks[(month - 1) * self.calendar.weeks_per_month + ref.week - 1]

    @cached_property
    def end(self) -> date:
        return self.month_start(self.calendar.total_months + 1) - timedelta(days=1)

    @cached_property
    def execution_start(self) -> date:
        return self.month_start(self.calendar.start_months + 1)

    @cached_property
    def execution_end(self) -> date:
        cal = self.calendar
        return self.month_start(cal.start_months + cal.execution_months + 1) - timedelta(days=1)

    def execution_month_start(self, month: int) -> date:
        return self.month_start(self.calendar.start_months + month)

    def execution_month_end(self, month: int) -> date:
        return self.month_start(self.calendar.start_months + month + 1) - timedelta(days=1)


def schedule(definition: ProgrammeDefinition, start: date) -> list[ScheduledActivity]:
    """Every activity of the definition dated from the convenio's start date, in Gantt order."""
    cal = ConvenioCalendar(definition.calendar, start)
    out = []
    for activity in definition.activities:
        first = cal.week_of(activity.window.start)
        last = cal.week_of(activity.window.end)
        if last.index < first.index:
            raise MingaError(
                f"La ventana de «{activity.name}» termina antes de empezar.",
                fix="Corrija «window» de esa actividad en la definición del programa.",
            )
        if activity.kind is ActivityKind.MILESTONE:  # a milestone is its due date
            out.append(ScheduledActivity(activity, last.end, last.end, last.index, last.index))
        else:
            out.append(ScheduledActivity(activity, first.start, last.end, first.index,
                                         last.index))
    return out


def describe_window(activity: Activity, definition: ProgrammeDefinition) -> str:
    """The programme window in words, e.g. «Mes 2 sem. 1 – Mes 3 sem. 2» or «Mes 7 – Mes 13»."""
    cal = definition.calendar

    months = {Phase.START: cal.start_months, Phase.EXECUTION: cal.execution_months,
              Phase.CLOSING: cal.closing_months}
    prefix = {Phase.START: "Inicio ", Phase.EXECUTION: "Mes ", Phase.CLOSING: "Cierre "}

    def month_label(ref: WeekRef) -> str:
        number = months[ref.phase] if ref.month == "last" else ref.month
        return f"{prefix[ref.phase]}{number}"

    start, end = activity.window.start, activity.window.end
    first, last = month_label(start), month_label(end)
    weeks = cal.weeks_per_month
    if first == last:
        if start.week == 1 and end.week == weeks:
            return first
        if start.week == end.week:
            return f"{first} sem. {start.week}"
        return f"{first} sem. {start.week}–{end.week}"
    if start.week == 1 and end.week == weeks:
        return f"{first} – {last}"
    return f"{first} sem. {start.week} – {last} sem. {end.week}"
