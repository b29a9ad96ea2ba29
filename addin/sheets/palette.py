"""The workbook's colours (``RRGGBB``), shared by every sheet and by the rendering tests."""

from __future__ import annotations

from addin.domain.programme import Phase

DARK = "1F4E79"
HEADER_TEXT = "FFFFFF"
TITLE = "1F4E79"
HELP = "595959"
LIGHT = "DDEBF7"
STAGE_BAR = "1F4E79"
BAR = "9DC3E6"
PROGRESS = "2E75B6"
MILESTONE = "FFC000"
MARKER = "F4B6B6"
MARKER_HEADER = "C00000"
PHASE_FILL = {Phase.START: "A9D08E", Phase.EXECUTION: "9BC2E6", Phase.CLOSING: "F4B183"}
