"""Which sheets each kind of programme workbook has: a programme definition names its set
(``layouts: indicadores``), and building, reading and validating all take the sheets from
here."""

from __future__ import annotations

from addin.domain.programme import ProgrammeDefinition
from addin.layouts.assembly import ASSEMBLY_LAYOUTS
from addin.layouts.ecomercado import ECOMERCADO_LAYOUTS
from addin.layouts.indicators import INDICATOR_LAYOUTS
from addin.layouts.model import SheetLayout
from addin.layouts.roadmap import ROADMAP_LAYOUTS

LAYOUT_SETS: dict[str, tuple[SheetLayout, ...]] = {
    "ecomercado": ECOMERCADO_LAYOUTS,
    "indicadores": INDICATOR_LAYOUTS,
    "asamblea": ASSEMBLY_LAYOUTS,
    "ruta": ROADMAP_LAYOUTS,
}


def layouts_for(definition: ProgrammeDefinition) -> tuple[SheetLayout, ...]:
    """The sheets of the programme's workbook, in tab order."""
    return LAYOUT_SETS[definition.layouts]


def form_for(definition: ProgrammeDefinition) -> SheetLayout:
    """The programme's Programa form (every set has one, first)."""
    return next(layout for layout in layouts_for(definition) if layout.kind == "form")
