"""The hidden sheet that makes a workbook self-describing.

A workbook built from a user's own programme file (``minga nuevo --programa mi-programa.yaml``)
keeps that definition inside itself, so that ``poblar`` and ``validar`` later need no
``--programa``.  The sheet holds the definition as YAML text in cells of at most 30,000
characters (Excel's limit is 32,767), with its id and SHA-256.  A workbook that follows a
built-in programme has no such sheet: the Programa sheet names it by id.

Nothing read from this sheet is ever used as a path: it is data, parsed with a safe YAML
loader and validated like any definition.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SHEET = "minga-programa"
PART = 30_000
TITLE = ("minga: definición del programa con que se creó este libro. No la edite: minga la usa "
         "para poblar y validar el libro.")


def identity_rows(programme_id: str, text: str, digest: str) -> list[list[Any]]:
    """The sheet's rows: a title, id, SHA-256, number of parts, then the parts."""
    parts = split_text(text)
    return [[TITLE, None], ["id", programme_id], ["sha256", digest], ["partes", len(parts)],
            *[[part, None] for part in parts]]


def split_text(text: str, size: int = PART) -> list[str]:
    """``text`` in parts of at most ``size`` characters, cut between two visible characters.

    A cell holding only whitespace reads back as blank, so a cut that left the last «\n» (or
    spaces) alone in a part would lose it and break the SHA-256.
    """
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = min(i + size, len(text))
        while i + 1 < j < len(text) and (text[j - 1].isspace() or text[j].isspace()):
            j -= 1
        parts.append(text[i:j])
        i = j
    return parts


def read_identity(rows: Sequence[Sequence[Any]]) -> tuple[str, str, str] | None:
    """(id, text, digest) from the sheet's rows; None when they are not in that shape."""

    def cell(r: int, c: int) -> Any:
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else None

    programme_id, digest, count = cell(1, 1), cell(2, 1), cell(3, 1)
    if not (isinstance(programme_id, str) and isinstance(digest, str)):
        return None
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= 20:
        return None
    parts = [cell(4 + i, 0) for i in range(count)]
    if not all(isinstance(p, str) for p in parts):
        return None
    return programme_id.strip(), "".join(parts), digest.strip()
