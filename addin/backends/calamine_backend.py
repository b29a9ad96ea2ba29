"""The python-calamine backend: fast, read-only values (formulas give their cached results).

Reads .xlsx, .xls and .ods.  It cannot write; the validator uses it to read and the openpyxl
backend to write findings back.
"""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from addin.backends.base import CellValue
from addin.backends.files import FileKind, inspect
from addin.errors import MingaError


class CalamineBackend:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.kind: FileKind = inspect(self.path)
        try:
            self.workbook = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise MingaError(f"No se puede leer «{self.path.name}»: el libro está dañado "
                             f"({type(exc).__name__}: {exc}).",
                             fix="Ábralo en Excel, repárelo y guárdelo como .xlsx.") from None

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheet_names)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        try:
            rows = self.workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise MingaError(f"No se pudo leer la hoja «{sheet}» ({type(exc).__name__}).",
                             sheet=sheet, fix="Ábrala en Excel y vuelva a guardar el libro.") \
                from None
        return rows  # type: ignore[no-any-return]
