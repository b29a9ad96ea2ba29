"""The workbook's colours (``RRGGBB``), shared by every sheet and by the rendering tests."""

from __future__ import annotations

from addin.domain.programme import Phase

DARK = "1F4E79"
HEADER_TEXT = "FFFFFF"
TITLE = "1F4E79"
HELP = "595959"
LIGHT = "DDEBF7"
GRID = "D9D9D9"
PHASE_FILL = {Phase.START: "A9D08E", Phase.EXECUTION: "9BC2E6", Phase.CLOSING: "F4B183"}

# --- the carta Gantt -------------------------------------------------------------------------
#: One colour per stage, as (done, planned): the planned part of a bar is the lighter one.
#: Red, orange and gold are kept for lateness, the cut-off week and milestones.
STAGE_COLOURS: tuple[tuple[str, str], ...] = (
    ("2E75B6", "BDD7EE"),  # blue
    ("548235", "C6E0B4"),  # green
    ("7030A0", "DCC8EE"),  # purple
    ("1F7A7A", "B4DEDE"),  # teal
    ("8B5A2B", "E3CBB4"),  # brown
    ("595959", "D9D9D9"),  # grey
)
#: The not-done part of an activity that should have ended by the cut-off.
LATE = "ED7D31"
MILESTONE = "FFC000"
MILESTONE_TEXT = "7F6000"
#: The cut-off week: its header cell, the cells where a bar crosses it, and the empty ones.
MARKER_HEADER = "C00000"
MARKER_BAR = "C00000"
MARKER = "F4B6B6"


def stage_colours(index: int) -> tuple[str, str]:
    """(done, planned) colours of the stage at 0-based ``index`` (they repeat after six)."""
    return STAGE_COLOURS[index % len(STAGE_COLOURS)]


# --- the matrices ----------------------------------------------------------------------------
#: Row fills by the Estado of a seguimiento row (and of a verifier, the last three); overdue
#: rows take ``OVERDUE`` first.
STATUS_FILLS = {
    "Completada": "E2EFDA",
    "En curso": "FFF2CC",
    "Atrasada": "F4CCCC",
    "Reprogramada": "FCE4D6",
    "Suspendida": "EDEDED",
    "Entregado": "D9E1F2",
    "Aprobado": "C6E0B4",
    "No aplica": "EDEDED",
}
OVERDUE = "F4CCCC"
OVERDUE_TEXT = "9C0006"
DATA_BAR = "5B9BD5"
