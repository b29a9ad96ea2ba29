"""Store a user's own programme definition inside the workbook built from it.

Called by ``build_file``: a workbook built from a built-in programme is left as it is (its
Programa sheet names the programme by id); one built from the user's own file gets the hidden
«minga-programa» sheet (``addin.layouts.identity``), so that ``minga poblar`` and
``minga validar`` find the definition without ``--programa``.
"""

from __future__ import annotations

from addin.backends.base import Backend, SheetFormat
from addin.domain.programme import (
    ProgrammeDefinition,
    embedded_text,
    is_builtin_unchanged,
    text_digest,
)
from addin.layouts import identity


def embed_programme(backend: Backend, definition: ProgrammeDefinition) -> bool:
    """Write the definition into a hidden sheet unless it is a built-in one; True if written."""
    if is_builtin_unchanged(definition):
        return False
    text = embedded_text(definition)
    rows = identity.identity_rows(definition.id, text, text_digest(text))
    if identity.SHEET not in backend.sheet_names():
        backend.add_sheet(identity.SHEET)
    backend.write_block(identity.SHEET, "A1", rows)
    backend.format_sheet(identity.SHEET, SheetFormat(column_widths={"A": 100}, hidden=True))
    return True
