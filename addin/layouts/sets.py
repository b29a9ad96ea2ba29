"""Which sheets each kind of programme workbook has: a programme definition names its set
(``layouts: indicadores``), and building, reading and validating all take the sheets from
here."""

from __future__ import annotations

from addin.domain.lean import dataclass
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


@dataclass(frozen=True)
class Identification:
    """Which Programa fields say whose submission a workbook is, whatever its file's name.

    Every kind of programme is told apart by the same five things — region, territory,
    executing organisation, agreement (or project) and start — but each kind's form keeps
    them under its own fields and labels; ``required`` are the ones a workbook must fill
    to count as a programme in a supervisor's history.
    """

    kind_es: str  # the kind of programme, as a supervisor says it
    region: str | None
    territory: str | None
    territory_es: str  # «Comuna», «Territorio», «Comunidades», «Lugar»
    ejecutor: str | None
    convenio: str | None
    convenio_es: str
    start: str | None
    required: tuple[str, ...]  # slots: region, territory, ejecutor, convenio, start

    def field(self, slot: str) -> str | None:
        """The form field that fills a slot (None: this kind has none)."""
        return getattr(self, slot)

    def label(self, slot: str, form: SheetLayout) -> str:
        """The Spanish label of a slot's field on the kind's Programa sheet."""
        key = self.field(slot)
        return form.column(key).es if key else slot


SLOTS = ("region", "territory", "ejecutor", "convenio", "start")

IDENTIFICATION: dict[str, Identification] = {
    "ecomercado": Identification(
        "Ecomercado", "region", "comuna", "Comuna", "ejecutor", "tipo_convenio", "Convenio",
        "inicio", ("region", "territory", "ejecutor", "start")),
    "indicadores": Identification(
        "Matriz de indicadores", "region", "territorio", "Territorio", "ejecutor", "proyecto",
        "Proyecto", "inicio", ("territory", "ejecutor")),  # COMPARTE reports with no start
    "asamblea": Identification(
        "Asamblea", "region", "lugar", "Lugar", "ejecutor", "convenio", "Convenio", "fecha",
        ("region", "ejecutor", "start")),
    "ruta": Identification(
        "Hoja de ruta y fondo", "region", "comuna", "Comunidades", "ejecutor", "proyecto",
        "Proyecto", "inicio", ("region", "territory", "ejecutor", "start")),
}


def identification_for(layouts: str | None) -> Identification:
    """The identification of a kind of workbook (a layout set's name); the Ecomercado's for
    a history written before there were other kinds."""
    return IDENTIFICATION.get(layouts or "ecomercado", IDENTIFICATION["ecomercado"])
