"""When each verifier (a document the guide demands) is due, from the programme definition.

One computation for the three places that need it: the Verificadores sheet's «Vence» formula
(built from the same week arithmetic as the carta Gantt), `minga poblar` writing the dates,
and the rules deciding what is already due at the cut-off.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from addin.domain.lean import dataclass
from addin.domain.programme import Activity, Phase, ProgrammeDefinition, Verifier, WeekRef
from addin.domain.schedule import ConvenioCalendar


@dataclass(frozen=True)
class DueRef:
    """A verifier's due date as a place in the calendar: a week's first or last day."""

    convenio_month: int  # 1-based month of the convenio
    week: int  # 1-based week within the month
    edge: str  # "start" or "end"


def due_ref(definition: ProgrammeDefinition, activity: Activity, verifier: Verifier) -> DueRef:
    """The start or end of the activity's window (or the verifier's own week)."""
    if isinstance(verifier.due, WeekRef):
        ref, edge = verifier.due, "end"
    else:
        edge = verifier.due
        ref = activity.window.start if edge == "start" else activity.window.end
    cal = definition.calendar
    offset = {Phase.START: 0, Phase.EXECUTION: cal.start_months,
              Phase.CLOSING: cal.start_months + cal.execution_months}[ref.phase]
    return DueRef(offset + definition.month_number(ref), ref.week, edge)


def due_date(calendar: ConvenioCalendar, ref: DueRef) -> date:
    week = calendar.weeks[(ref.convenio_month - 1) * calendar.calendar.weeks_per_month
                         + ref.week - 1]
    return week.start if ref.edge == "start" else week.end


def due_formula(ref: DueRef, weeks_per_month: int, start: str) -> str:
    """The same date as a spreadsheet formula of the start date ``start`` (a cell or name).

    Month *m* starts at ``EDATE(start, m-1)``; week *q* of a month of *d* days starts
    ``INT((q-1)·d/weeks)`` days in — the carta Gantt's own header arithmetic.
    """
    m = ref.convenio_month
    first, nxt = f"EDATE({start},{m - 1})", f"EDATE({start},{m})"
    if ref.edge == "start":
        day = f"{first}+INT({ref.week - 1}*({nxt}-{first})/{weeks_per_month})"
    elif ref.week == weeks_per_month:
        day = f"{nxt}-1"
    else:
        day = f"{first}+INT({ref.week}*({nxt}-{first})/{weeks_per_month})-1"
    return f'=IF({start}="","",{day})'


@dataclass(frozen=True)
class Required:
    """One required document: its activity, itself and when it is due."""

    activity: Activity
    verifier: Verifier
    ref: DueRef


def required_documents(definition: ProgrammeDefinition) -> Iterator[Required]:
    """Every tracked verifier of the programme, in carta Gantt order."""
    for activity in definition.activities:
        for verifier in activity.tracked_verifiers:
            yield Required(activity, verifier, due_ref(definition, activity, verifier))
