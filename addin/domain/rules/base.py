"""Rules: small units with an id, a severity and a source, that yield issues.

A check is a generator over a ``Context`` (the workbook as typed records, the programme
definition, the cut-off date).  It yields ``Issue``s; the rule stamps them with its id,
severity and source to make ``Finding``s.  The validator only runs rules and collects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property

from addin.domain.findings import Finding, Severity
from addin.domain.lean import dataclass
from addin.domain.programme import Activity, ProgrammeDefinition, SessionType
from addin.domain.records import Record, SheetData, WorkbookData, a1
from addin.domain.schedule import ConvenioCalendar, ScheduledActivity, schedule
from addin.domain.text import normalise

#: The guide the Ecomercado rules come from, as a coordinator would look it up.
GUIDE = "FOSIS, Ecomercados Solidarios: guía del Modelo de Gestión Comunitaria"


def guide(section: str, quote: str, note: str = "") -> str:
    """A rule's source: the guide, the section, the guide's own sentence (and a note)."""
    return f"{GUIDE}, {section}: «{quote}»" + (f" {note}" if note else "")


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule's check finds: a finding without the rule's own id and severity."""

    sheet: str
    cell: str | None
    message: str
    fix: str
    row_key: str | None = None
    #: The guide's sentence behind this finding, when it is more precise than the rule's own
    #: (e.g. the session type's «al menos 2 sesiones»).
    source: str | None = None


Check = Callable[["Context"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    """A validation rule: its id, severity, title and source, and the check that runs it."""

    id: str
    severity: Severity
    title: str
    source: str
    check: Check
    #: The rule sets it belongs to; a programme runs the sets its definition names.
    sets: tuple[str, ...] = ("ecomercado",)

    def applies_to(self, definition: ProgrammeDefinition) -> bool:
        return any(s in definition.active_rule_sets for s in self.sets)

    def severity_for(self, ctx: Context) -> Severity | None:
        """The rule's severity for this programme (its definition may override it; None: off)."""
        override = ctx.definition.severities.get(self.id)
        if override is None:
            return self.severity
        return None if override == "off" else Severity(override)

    def run(self, ctx: Context) -> list[Finding]:
        severity = self.severity_for(ctx)
        if severity is None:
            return []
        # A rule another rule set borrows (the schedule rules of a roadmap) cites the
        # programme's own document, not the guide it was written from.
        own = self.sets[0] in ctx.definition.active_rule_sets
        source = self.source if own else ctx.definition.source
        return [Finding(self.id, severity, i.sheet, i.cell, i.row_key, i.message, i.fix,
                        i.source or source) for i in self.check(ctx)]


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity | str, title: str, source: str,
         sets: tuple[str, ...] = ("ecomercado",)) -> Callable[[Check], Check]:
    """Register a check as a rule; ``source`` is where it comes from, in the guide's words;
    ``sets`` the rule sets it belongs to (the Ecomercado rules unless said)."""

    def register(check: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(rule_id, Severity(severity), title, source, check, sets)
        return check

    return register


#: The Sesiones column that says a body took part in a session (SessionType.participants).
PARTICIPATION = {
    "Grupo Motor": "participa_grupo_motor",
    "Consejo Local": "participa_consejo_local",
    "Municipio": "participa_municipio",
    "Comunidad organizada": "participa_comunidad",
    "Donantes": "participan_donantes",
}


@dataclass
class Context:
    """What every rule's check reads: the workbook's data, the cut-off date, the files
    beside it."""

    data: WorkbookData
    cutoff: date
    #: Does a file named in the workbook exist beside it?  None when the workbook was not
    #: read from a folder (or the files are elsewhere): then nothing is said about files.
    file_exists: Callable[[str], bool] | None = None

    @property
    def definition(self) -> ProgrammeDefinition:
        return self.data.definition

    def cite(self, text: str) -> str | None:
        """A source from the definition («§4, …: «…»») with the guide's title before it."""
        return f"{self.definition.source}, {text}" if text else None

    def records(self, key: str) -> list[Record]:
        return self.data.records(key)

    def sheet(self, key: str) -> SheetData:
        return self.data.sheet(key)

    @cached_property
    def start(self) -> date | None:
        value = self.data.form.get("inicio")
        return value if isinstance(value, date) else None

    @cached_property
    def calendar(self) -> ConvenioCalendar | None:
        if self.start is None:
            return None
        try:
            return ConvenioCalendar(self.definition.calendar, self.start)
        except ValueError:
            return None

    def window(self, key: str) -> tuple[date, date] | None:
        """The first and last day of an activity's programme window (None without a start).

        For a milestone this is its whole window (a report's month), not the one day the
        carta Gantt draws it on.
        """
        cal = self.calendar
        if cal is None:
            return None
        window = self.definition.activity(key).window
        return cal.week_of(window.start).start, cal.week_of(window.end).end

    @cached_property
    def expected(self) -> dict[str, ScheduledActivity]:
        """The programme's schedule from the start date, by activity key ({} without it)."""
        if self.calendar is None:
            return {}
        return {s.activity.key: s for s in schedule(self.definition, self.calendar.start)}

    @cached_property
    def gantt_rows(self) -> dict[str, Record]:
        """Carta Gantt rows by activity code."""
        rows: dict[str, Record] = {}
        for record in self.records("carta_gantt"):
            code = normalise(record.get("codigo"))
            if code:
                rows.setdefault(code, record)
        return rows

    def activity_rows(self) -> Iterator[tuple[Activity, Record]]:
        """Each activity of the programme with its Carta Gantt row (missing ones skipped)."""
        for activity in self.definition.activities:
            row = self.gantt_rows.get(activity.code)
            if row is not None:
                yield activity, row

    def _activity_date(self, key: str, column: str) -> date | None:
        """An activity's «inicio» or «termino»: as planned in the Gantt if dated there, else
        by the rules."""
        row = self.gantt_rows.get(self.definition.activity(key).code)
        if row is not None and row.date(column):
            return row.date(column)
        expected = self.expected.get(key)
        if expected is None:
            return None
        return expected.start if column == "inicio" else expected.end

    def activity_end(self, key: str) -> date | None:
        """When an activity ends: as planned in the Gantt if dated there, else by the rules."""
        return self._activity_date(key, "termino")

    def activity_start(self, key: str) -> date | None:
        """When an activity starts: as planned in the Gantt if dated there, else by the rules."""
        return self._activity_date(key, "inicio")

    def has_started(self, key: str) -> bool:
        start = self.activity_start(key)
        return start is not None and start <= self.cutoff

    def is_due(self, key: str) -> bool:
        """Has the activity ended by the cut-off date (so its products must exist)?"""
        end = self.activity_end(key)
        return end is not None and end < self.cutoff

    @cached_property
    def session_types(self) -> dict[str, SessionType]:
        """Session types by their Spanish label, as the Sesiones dropdown shows them."""
        return {s.label: s for s in self.definition.session_types}

    @cached_property
    def session_kinds(self) -> list[SessionType | None]:
        """The type of each Sesiones record, in sheet order (None: not one of the programme's
        types): looked up once per record however many rules ask."""
        return list(map(self.session_types.get, self.sheet("sesiones").column("tipo")))

    @cached_property
    def _sessions_by_type(self) -> dict[str, list[Record]]:
        """Sessions by type key, in sheet order: one pass over a sheet that may be large."""
        by_type: dict[str, list[Record]] = {}
        for record, kind in zip(self.records("sesiones"), self.session_kinds, strict=True):
            if kind is not None:
                by_type.setdefault(kind.key, []).append(record)
        return by_type

    def sessions_of(self, *type_keys: str) -> list[Record]:
        if len(type_keys) == 1:
            return list(self._sessions_by_type.get(type_keys[0], ()))
        wanted = set(type_keys)
        return [r for r, kind in zip(self.records("sesiones"), self.session_kinds, strict=True)
                if kind is not None and kind.key in wanted]

    @cached_property
    def organisations(self) -> dict[str, Record]:
        """Catastro rows by normalised name (first occurrence)."""
        orgs: dict[str, Record] = {}
        for record in self.records("organizaciones"):
            name = normalise(record.get("nombre"))
            if name:
                orgs.setdefault(name, record)
        return orgs

    @staticmethod
    def took_part(record: Record, body: str) -> bool:
        """Did ``body`` lead or take part in this session?"""
        column = PARTICIPATION.get(body)
        return record.get("instancia") == body or (column is not None
                                                    and record.get(column) is True)

    def held(self, *type_keys: str) -> list[Record]:
        """Sessions of these types dated on or before the cut-off, by date."""
        return sorted((r for r in self.sessions_of(*type_keys)
                       if (day := r.date("fecha")) is not None and day <= self.cutoff),
                      key=lambda r: r.date("fecha"))  # type: ignore[arg-type,return-value]

    def append_cell(self, key: str, column: str) -> str | None:
        """Where a missing row goes: ``column`` in the first row below the sheet's records.

        Findings about something missing point here, so that the link lands where the fix
        is typed rather than on a header.
        """
        sheet = self.sheet(key)
        if not sheet.present or not sheet.header_row:
            return None
        last = max((r.row for r in sheet.records), default=sheet.header_row)
        return a1(sheet.columns.get(column, 0), last + 1)

    def has(self, key: str, *columns: str) -> bool:
        """Was the sheet read with these columns? (Rules about them say nothing otherwise:
        the missing column is already a finding.)"""
        sheet = self.sheet(key)
        return sheet.present and all(c in sheet.columns for c in columns)

    def header(self, key: str, column: str) -> str | None:
        sheet = self.sheet(key)
        return sheet.header_cell(column) if sheet.present and sheet.header_row else None


def fmt(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "—"
