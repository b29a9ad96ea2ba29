"""The two checklist sheets generated from the programme definition, and their due dates.

- Verificadores: one row per document the guide demands of each activity (the definition's
  tracked verifiers), with «Vence» as a formula of the start date and a state dropdown.
- Procedimiento interno: what the procedure must contain, one row per item, to tick off.

The generic table builder draws both from their layouts (the state colours too: the layout's
``row_status``); this module only supplies their rows (``verifier_rows``, ``procedure_rows``)
and, for `minga poblar`, the due-date cells to fill (``due_cells``, ``due_dates``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from addin.backends.base import Backend, CellValue, Formula
from addin.domain.programme import ProgrammeDefinition
from addin.domain.schedule import ConvenioCalendar
from addin.domain.text import normalise
from addin.domain.verifiers import due_date, due_formula, required_documents
from addin.layouts.ecomercado import VERIFICADORES
from addin.layouts.model import (
    HeaderMatch,
    column_letter,
    find_sheet,
    locate_header,
    workbook_name,
)

#: The workbook name of Programa › Fecha de inicio (defined by the builder).
START_NAME = workbook_name("inicio")


def verifier_rows(definition: ProgrammeDefinition) -> list[dict[str, CellValue]]:
    """One row per required document, due by formula from the start date, «Pendiente»."""
    weeks = definition.calendar.weeks_per_month
    return [{"n": n, "codigo": doc.activity.code, "actividad": doc.activity.name,
             "verificador": doc.verifier.name, "estado": "Pendiente",
             "vence": Formula(due_formula(doc.ref, weeks, START_NAME))}
            for n, doc in enumerate(required_documents(definition), start=1)]


def procedure_rows(definition: ProgrammeDefinition) -> list[dict[str, CellValue]]:
    return [{"n": n, "elemento": item, "incluido": "No"}
            for n, item in enumerate(definition.internal_procedure_contents, start=1)]


def due_dates(definition: ProgrammeDefinition, calendar: ConvenioCalendar) -> dict[str, date]:
    """Each required document's due date, by the key `minga poblar` records it under."""
    return {_key(doc.activity.code, doc.verifier.name): due_date(calendar, doc.ref)
            for doc in required_documents(definition)}


def _key(code: object, name: object) -> str:
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    return f"{VERIFICADORES.key}/{normalise(code)}/{normalise(name)}"


@dataclass(frozen=True)
class DueCell:
    """A «Vence» cell of the Verificadores sheet and the due date its row's document has."""

    row: int  # 1-based sheet row
    cell: str
    key: str  # as in due_dates()
    code: str  # the activity's N°
    name: str  # the document
    current: CellValue  # what the cell holds (the template's own formula counts as blank)
    due: date


def due_cells(backend: Backend, definition: ProgrammeDefinition, calendar: ConvenioCalendar
              ) -> tuple[str, HeaderMatch, list[DueCell]] | None:
    """The Verificadores sheet, its header and the due-date cells `minga poblar` fills.

    Rows are matched by activity N° and document name; rows users added for other documents
    are left alone.  None when the workbook has no such sheet (the validator reports it).
    """
    sheet = find_sheet(backend.sheet_names(), VERIFICADORES)
    if sheet is None:
        return None
    rows = backend.read_values(sheet)
    match = locate_header(rows, VERIFICADORES.columns)
    if match is None or not {"codigo", "verificador", "vence"} <= set(match.columns):
        return None
    due = due_dates(definition, calendar)
    col = match.columns
    letter = column_letter(col["vence"])
    cells = []
    for r in range(match.row + 1, len(rows)):
        code, name, current = (rows[r][col[k]] if col[k] < len(rows[r]) else None
                               for k in ("codigo", "verificador", "vence"))
        key = _key(code, name)
        if key in due:
            cells.append(DueCell(r + 1, f"{letter}{r + 1}", key, str(code), str(name),
                                 None if isinstance(current, Formula) else current, due[key]))
    return sheet, match, cells


def files_beside(workbook: str) -> Callable[[str], bool] | None:
    """Whether a file named in the workbook (a verifier) is in the workbook's folder.

    None when the workbook was not read from a file: then rules say nothing about files.
    """
    if not workbook:
        return None
    folder = str(Path(workbook).resolve().parent)

    def exists(name: str) -> bool:
        # os.path, not pathlib: a sheet may name thousands of files (one per session), and
        # building a Path for each cost more than asking the OS.
        try:
            return os.path.isfile(os.path.join(folder, name))
        except (OSError, ValueError):  # a name the OS cannot even look up
            return False

    return exists
