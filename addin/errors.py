"""The one exception minga raises for bad input: a Spanish message a user can act on."""

from __future__ import annotations


class MingaError(Exception):
    """Bad input or an impossible request; the CLI prints it and exits with code 2.

    ``sheet`` and ``cell`` locate the problem in a workbook when there is one; ``fix`` says
    what to do about it.
    """

    def __init__(self, message: str, *, fix: str | None = None, sheet: str | None = None,
                 cell: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = ""
        if self.sheet:
            where = f"Hoja «{self.sheet}»" + (f", celda {self.cell}" if self.cell else "") + ": "
        text = where + self.message
        if self.fix:
            text += f"\n→ {self.fix}"
        return text
