"""How far python-calamine would spread the cells of an .ods or an .xls, found before it reads
them.

python-calamine builds every sheet of these formats as a dense grid when it opens the file: in
an .ods a cell with content repeated over 16,384 columns and a million rows
(``table:number-columns-repeated``, ``table:number-rows-repeated``), or a value in a row far
below the rest, and in an .xls one value at row 65,536 column IV, would make it allocate
hundreds of megabytes or gigabytes.  So minga measures each sheet first, the way
python-calamine places its cells (without building anything), and refuses a sheet whose area
is not small with a Spanish message that says which sheet and what to do.

The .ods content is parsed by expat with DTDs refused; the .xls by olefile (the compound file)
and a walk over the BIFF records of each sheet that only reads the cells' positions.  Then
python-calamine reads what was measured: a clean .ods (``sheetxml.write_ods``), or a compound
file of minga's holding the workbook stream olefile read (``cfb.write``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.parsers import expat

from addin.backends.sheetxml import DENSE_CELLS, damaged, hardened_parser
from addin.errors import MingaError

#: Cells all the sheets of an .ods or .xls may span together (python-calamine builds them all
#: when it opens the file).
TOTAL_CELLS = 2 * DENSE_CELLS
#: Attributes that give an .ods cell a value or a formula (python-calamine's ``get_datatype``).
_ODS_VALUES = ("office:value-type", "office:value", "office:string-value", "office:date-value",
               "office:time-value", "office:boolean-value", "table:formula")
_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def too_large(path: Path, sheet: str, rows: int, columns: int) -> MingaError:
    return MingaError(
        f"No se puede leer «{path.name}»: la hoja «{sheet}» ocupa {_thousands(rows)} filas × "
        f"{_thousands(columns)} columnas (celdas con contenido repetidas hasta muy lejos, o "
        "un valor suelto lejos del resto), demasiado para leerla.", sheet=sheet,
        fix="Ábralo en LibreOffice o Excel, borre las filas y columnas sobrantes después de "
            "los datos y guárdelo como «Libro de Excel (.xlsx)».")


def check(path: Path, extents: dict[str, tuple[int, int]]) -> None:
    """Refuse the file if a sheet, or all of them together, would not be small."""
    total = 0
    for sheet, (rows, columns) in extents.items():
        total += rows * columns
        if rows * columns > DENSE_CELLS or total > TOTAL_CELLS:
            raise too_large(path, sheet, rows, columns)


# --- .ods -----------------------------------------------------------------------------------


class _OdsExtents:
    """The area python-calamine gives each table of an .ods ``content.xml``: up to the last
    row with a filled cell (row repeats included) and the furthest filled cell of any row
    (column repeats included).  A cell with any child element counts as filled (its text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.extents: dict[str, tuple[int, int]] = {}
        self.table: str | None = None
        self.rows = self.last_row = self.width = 0
        self.in_row = False
        self.repeat = self.column = self.row_end = 0
        self.cell_depth = self.cell_repeat = 0
        self.filled = False

    def count(self, attrs: dict[str, str], name: str) -> int:
        text = attrs.get(name)
        if text is None:
            return 1
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"«{name}» no es un número ({text[:20]})")
        return int(text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.cell_depth:
            self.cell_depth += 1
            self.filled = True
        elif name == "table:table" and self.table is None:
            self.table = attrs.get("table:name", "")
            self.rows = self.last_row = self.width = 0
        elif name == "table:table-row" and self.table is not None and not self.in_row:
            self.in_row, self.column, self.row_end = True, 0, 0
            self.repeat = self.count(attrs, "table:number-rows-repeated")
        elif name in _ODS_CELLS and self.in_row:
            self.cell_depth = 1
            self.cell_repeat = self.count(attrs, "table:number-columns-repeated")
            self.filled = any(key in attrs for key in _ODS_VALUES)

    def end(self, name: str) -> None:
        if self.cell_depth > 1:
            self.cell_depth -= 1
        elif self.cell_depth == 1:
            self.cell_depth = 0
            self.column += self.cell_repeat
            if self.filled:
                self.row_end = self.column
        elif name == "table:table-row" and self.in_row:
            self.in_row = False
            if self.row_end:
                self.last_row = self.rows + self.repeat
                self.width = max(self.width, self.row_end)
            self.rows += self.repeat
        elif name == "table:table" and self.table is not None:
            self.extents[self.table] = (self.last_row, self.width)
            self.table = None


def ods_extents(path: Path, content: Iterable[bytes]) -> dict[str, tuple[int, int]]:
    """Each table of ``content`` (the .ods ``content.xml``, a piece at a time) and the area
    python-calamine would build for it."""
    walker = _OdsExtents(path)
    parser = hardened_parser()
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    try:
        for piece in content:
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise damaged(path, "content.xml", f"XML no válido: {exc}") from None
    except ValueError as exc:
        raise damaged(path, "content.xml", str(exc)) from None
    return walker.extents


# --- .xls -----------------------------------------------------------------------------------

#: BIFF8 records python-calamine makes a cell of (row and column in their first four bytes).
_XLS_CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}
_MULRK, _BOUNDSHEET, _EOF = 0x00BD, 0x0085, 0x000A
_BOF, _DIMENSIONS = 0x0809, 0x0200


def xls_stream(path: Path) -> tuple[str, bytes]:
    """The name («Workbook», or «Book» for BIFF5) and the bytes of an .xls's workbook stream,
    as olefile reads the compound file: the bytes minga measures, and the only ones
    python-calamine is given (``cfb.write``)."""
    import olefile  # only .xls needs it

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise damaged(path, "Workbook", "no contiene el libro")
            return name, ole.openstream(name).read()
    except MingaError:
        raise
    except Exception as exc:  # olefile raises OSError, struct.error, ValueError…
        raise damaged(path, "Workbook", f"{type(exc).__name__}: {str(exc)[:100]}") from None


def xls_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """Each sheet of an .xls and the area python-calamine would build for it, from the cell
    records of its BIFF substream (``data``: the workbook stream, ``xls_stream``)."""
    sheets: list[tuple[str, int]] = []
    biff8 = len(data) >= 6 and struct.unpack_from("<H", data, 4)[0] == 0x0600  # BOF's version
    for kind, at, size in _records(data, 0):
        if kind == _BOUNDSHEET and size >= 8:
            (offset,) = struct.unpack_from("<I", data, at)
            sheets.append((_sheet_name(data[at:at + size], biff8), offset))
        elif kind == _EOF:
            break
    extents: dict[str, tuple[int, int]] = {}
    for n, (sheet, offset) in enumerate(sheets, 1):
        # python-calamine builds every sheet listed, one of a repeated name too.
        key = sheet if sheet not in extents else f"{sheet} ({n})"
        extents[key] = _sheet_extent(data, offset)
    return extents


def _sheet_extent(data: bytes, offset: int) -> tuple[int, int]:
    """The area python-calamine gives a sheet's substream: its cells' (it places each cell
    record at its row and column), or the area its DIMENSIONS record claims, if larger
    (python-calamine reserves room for that many cells before reading any).  Read to the
    sheet's own EOF, past those of the substreams nested in it (an embedded chart): the
    python-calamine of today skips what they hold and reads on, an older one stopped at the
    first EOF; every record either of them reads is looked at."""
    rows = columns = claimed = 0
    claim = (0, 0)
    seen, depth = False, 0
    for kind, at, size in _records(data, offset):
        if kind in _XLS_CELLS and size >= 4:
            row, column = struct.unpack_from("<HH", data, at)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _MULRK and size >= 6:
            (row,) = struct.unpack_from("<H", data, at)
            (last,) = struct.unpack_from("<H", data, at + size - 2)
            rows, columns = max(rows, row + 1), max(columns, last + 1)
        elif kind == _DIMENSIONS and size in (10, 14):
            area = _dimensions(data[at:at + size])
            if area[0] * area[1] > claimed:
                claim, claimed = area, area[0] * area[1]
        elif kind == _BOF:
            depth += 1 if seen else 0
            seen = True
        elif kind == _EOF:
            if not depth:
                break
            depth -= 1
    return claim if claimed > rows * columns else (rows, columns)


def _dimensions(body: bytes) -> tuple[int, int]:
    """The rows and columns python-calamine reserves cells for on reading a DIMENSIONS
    record ([MS-XLS] 2.4.90), with its arithmetic: 32-bit, wrapping (a first row after the
    last makes billions of rows)."""
    if len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack("<HHHH", body[:8])
    else:
        first_row, last_row, first_col, last_col = struct.unpack("<IIHH", body[:12])
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row >= 1 and last_col >= 1:
        end_row, end_col = last_row - 1, last_col - 1
    else:
        end_row, end_col = first_row, first_col
    wrap = 0xFFFFFFFF
    return ((end_row - first_row) & wrap) + 1 & wrap, ((end_col - first_col) & wrap) + 1 & wrap


def _records(data: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, where its body starts, its size) of each BIFF record from ``at`` to the end of
    the stream (a body cut short by the end is given as far as it goes)."""
    end = len(data)
    while at >= 0 and at + 4 <= end:
        kind, size = struct.unpack_from("<HH", data, at)
        yield kind, at + 4, min(size, end - at - 4)
        at += 4 + size


def _sheet_name(body: bytes, biff8: bool) -> str:
    """A BOUNDSHEET's name, after the offset, state and type: in BIFF8 a short unicode string
    (length, flags, characters), in BIFF5 a length and 8-bit characters."""
    length = body[6]
    if not biff8:
        return body[7:7 + length].decode("latin-1")
    if body[7] & 1:
        return body[8:8 + 2 * length].decode("utf-16-le", "replace")
    return body[8:8 + length].decode("latin-1")
