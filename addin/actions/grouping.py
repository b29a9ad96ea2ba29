"""agrupar: split an assembly's registrants (Inscripción) into groups and subgroups with one
leader each, and write group, mesa, subgroup and leader back in bulk (backup first)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from addin.actions.populate import programme_start, write_column_values
from addin.backends.base import CellValue
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.grouping import Placement, Registrant, assign
from addin.domain.programme import ProgrammeDefinition
from addin.domain.values import parse_bool
from addin.errors import MingaError
from addin.fileio import check_writable, writes_file
from addin.layouts.assembly import INSCRIPCION, PROGRAMA_ASAMBLEA
from addin.layouts.model import NO, YES, find_sheet
from addin.reading import programme_named, require_columns

Balance = Literal["territorio", "tipo"]
#: The Inscripción column each kind of balance reads.
BALANCE_COLUMNS: dict[str, str] = {"territorio": "territorio", "tipo": "tipo_organizacion"}
WRITTEN = ("grupo", "mesa", "subgrupo", "lider")


@dataclass
class GroupingResult:
    placements: list[Placement]

    @property
    def group_sizes(self) -> dict[int, int]:
        return dict(sorted(Counter(p.group for p in self.placements).items()))

    @property
    def subgroups(self) -> int:
        return len({p.subgroup for p in self.placements})


def _knows(value: CellValue) -> bool:
    try:
        return value not in (None, "") and parse_bool(value)
    except ValueError:
        return False


@writes_file()
def group_file(path: Path, definition: ProgrammeDefinition | None = None,
               balance: Balance | None = None, keep_backup: bool = True
               ) -> tuple[GroupingResult, Path | None]:
    """Assign every registrant of the workbook at ``path`` and save it (atomically)."""
    path = Path(path)
    check_writable(path, overwrite=True)
    backend = OpenpyxlBackend.open(path)
    if definition is None:
        programme_id, _ = programme_start(backend)
        definition = programme_named(programme_id, backend, backend.sheet_names(),
                                     sheet=PROGRAMA_ASAMBLEA.es)
    if definition is None or definition.assembly is None:
        name = definition.name if definition else "del libro"
        raise MingaError(f"El programa {name} no es una asamblea: no hay grupos que armar.",
                         fix="Use `minga agrupar` con el libro de una asamblea (ej. "
                             "`minga nuevo --programa asamblea-pit-arauca`).")
    sheet = find_sheet(backend.sheet_names(), INSCRIPCION)
    if sheet is None:
        raise MingaError("El libro no tiene la hoja «Inscripción».", sheet=INSCRIPCION.es,
                         fix="Cree el libro con `minga nuevo --programa asamblea-pit-arauca` o "
                             "restaure esa hoja.")
    rows = backend.read_values(sheet)
    needed = ["nombre", *WRITTEN] + ([BALANCE_COLUMNS[balance]] if balance else [])
    match = require_columns(rows, INSCRIPCION, sheet, needed)
    col = match.columns
    people = []
    for r in range(match.row + 1, len(rows)):
        row = rows[r]
        name = row[col["nombre"]] if col["nombre"] < len(row) else None
        if name is None or not str(name).strip():
            continue
        value = row[col[BALANCE_COLUMNS[balance]]] if balance else ""
        knows = row[col["conoce_pit"]] if "conoce_pit" in col and col["conoce_pit"] < len(
            row) else None
        people.append(Registrant(r + 1, str(value or ""), _knows(knows)))
    if not people:
        raise MingaError("La hoja Inscripción no tiene personas inscritas.", sheet=sheet,
                         fix="Escriba al menos un nombre en la columna «Nombre».")
    try:
        placements = assign(people, definition.assembly, balanced=balance is not None)
    except ValueError as exc:
        raise MingaError(f"No caben todas las personas: {exc}.", sheet=sheet,
                         fix="Revise la inscripción o el tamaño de los grupos del programa."
                         ) from None
    values: dict[int, dict[str, CellValue]] = {
        p.row: {"grupo": p.group, "mesa": p.mesa, "subgrupo": p.subgroup,
                "lider": YES if p.leader else NO} for p in placements}
    write_column_values(backend, sheet, match, values)
    saved = backend.save(keep_backup=keep_backup).backup  # after the check that loses nothing
    return GroupingResult(placements), saved
