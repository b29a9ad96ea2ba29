"""generar_carta_gantt: the «Carta Gantt» button — populate the Gantt from Programa's start.

The same work as `minga poblar` (``addin.actions.populate``), on any backend: the programme and
the start date come from the Programa sheet; rows are found by their activity code, so rows
the user added (their own activities, notes) are left as they are, and dates typed by hand
are kept unless ``replace_dates``.
"""

from __future__ import annotations

from addin.actions.populate import PopulateResult, populate_gantt, programme_and_start
from addin.backends.base import Backend
from addin.domain.programme import ProgrammeDefinition
from addin.domain.wording import plural


def generar_carta_gantt(backend: Backend, definition: ProgrammeDefinition | None = None, *,
                        replace_dates: bool = False) -> PopulateResult:
    """Date every activity of the carta Gantt (and the reports and verifiers' due dates)."""
    definition, start = programme_and_start(backend, definition)
    return populate_gantt(backend, definition, start, replace_dates=replace_dates)


def resumen(result: PopulateResult) -> str:
    """What the button did, in a few Spanish lines for a message box."""
    first = min(a.start for a in result.activities)
    last = max(a.end for a in result.activities)
    lines = [f"Carta Gantt poblada: {len(result.activities)} actividades, del "
             f"{first:%d-%m-%Y} al {last:%d-%m-%Y}; {plural(result.reports, 'informe')}.",
             f"{plural(len(result.changed), 'fecha escrita', 'fechas escritas')}."]
    if result.kept:
        kept = plural(len(result.kept), "fecha escrita a mano", "fechas escritas a mano")
        lines.append(f"Se conservaron {kept} (actividades "
                     + ", ".join(sorted({c.key for c in result.kept})[:8]) + ").")
    return "\n".join(lines)
