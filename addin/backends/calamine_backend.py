"""The python-calamine backend: fast, read-only values (formulas give their cached results).

Reads .xlsx, .xls and .ods.  It cannot write; the validator uses it to read and the openpyxl
backend to write findings back.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils.cell import coordinate_to_tuple
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
        if self.kind is FileKind.XLSX:
            for (r, c), error in error_cells(self.path, sheet).items():
                while len(rows) <= r:
                    rows.append([])
                row = rows[r]
                row.extend([""] * (c + 1 - len(row)))
                row[c] = error
        return rows  # type: ignore[no-any-return]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet")
                if s.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
    return None


def error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Cells whose cached result is an error (#REF!, #N/A…), by 0-based (row, column).

    python-calamine reads them as empty; a quick byte search skips sheets without any.
    """
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return {}
        data = archive.read(part)
    if b't="e"' not in data and b"t='e'" not in data:
        return {}
    found = {}
    for cell in ElementTree.fromstring(data).iter(f"{_MAIN}c"):
        if cell.get("t") == "e" and cell.get("r"):
            value = cell.find(f"{_MAIN}v")
            r, c = coordinate_to_tuple(cell.get("r"))
            found[(r - 1, c - 1)] = value.text if value is not None and value.text else "#N/A"
    return found
