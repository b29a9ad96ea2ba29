"""The backend over a live Excel workbook, through xlwings (``xw.Book.caller()`` from RunPython).

Every call here is a round trip to Excel (COM on Windows, AppleScript on macOS), so the
interface's bulk shape matters most here: a sheet is read with one ``.options(ndim=2).value``
of its used range, a block is written with one ``.value =``, and fills go to a union of cells
per colour.  Notes and hyperlinks are per cell because Excel keeps them per cell.

xlwings is imported lazily (``import addin`` stays cheap, and the openpyxl path never needs
it).  What Excel only exposes through its native object model — conditional formats, data
validation, tables, page setup, moving a sheet — is applied through ``.api`` where Excel runs,
and skipped where it does not: minga writes such sheets (Validación, Nudos críticos, the acta)
as plain ranges with styles, which reads and prints well without them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple

from addin.backends.base import (
    FONT_NAME,
    FONT_SIZE,
    Annotation,
    CellValue,
    Formula,
    Rows,
    SheetFormat,
    Style,
)
from addin.errors import MingaError

#: Excel refuses a range address longer than this in one call.
MAX_ADDRESS = 250
_FORMULA_START = ("=", "+", "-", "@")


def excel_value(value: CellValue) -> Any:
    """A value as Excel must receive it: formulas as text, and user text never a formula
    (a leading apostrophe makes Excel keep ``=1+1`` as the text it is)."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, str) and value.startswith((*_FORMULA_START, "'")):
        return "'" + value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _hex(rgb: Any) -> str:
    """xlwings' colour (an RGB tuple, or None) as ``RRGGBB`` (``""`` for none)."""
    if rgb is None:
        return ""
    if isinstance(rgb, tuple):
        return "".join(f"{int(c):02X}" for c in rgb[:3])
    return str(rgb).lstrip("#").upper()


def unions(cells: Sequence[str]) -> list[str]:
    """Cells joined into comma-separated addresses Excel accepts in one call."""
    out: list[str] = []
    for ref in cells:
        if out and len(out[-1]) + 1 + len(ref) <= MAX_ADDRESS:
            out[-1] += "," + ref
        else:
            out.append(ref)
    return out


class XlwingsBackend:
    """A live workbook (an ``xlwings.Book``) behind minga's backend interface."""

    def __init__(self, book: Any) -> None:
        self.book = book
        #: The last block written per sheet: the text of hyperlinked cells comes from it.
        self._written: dict[str, dict[tuple[int, int], Any]] = defaultdict(dict)

    @classmethod
    def caller(cls) -> XlwingsBackend:
        """The workbook whose button called Python (``RunPython``)."""
        import xlwings as xw  # lazy: only inside Excel

        return cls(cls.target(xw.Book.caller()))

    @staticmethod
    def target(caller: Any) -> Any:
        """The workbook to work on: the caller, unless it is an add-in (a ribbon button's
        ``RunPython`` runs in the .xlam, ``ThisWorkbook``) — then the active workbook."""
        if str(caller.name).lower().endswith((".xlam", ".xla")):
            active = caller.app.books.active
            if active is None or str(active.name).lower().endswith((".xlam", ".xla")):
                raise MingaError("No hay un libro abierto.",
                                 fix="Abra el libro del programa y vuelva a pulsar el botón.")
            return active
        return caller

    def _sheet(self, name: str) -> Any:
        for sheet in self.book.sheets:
            if sheet.name == name:
                return sheet
        raise MingaError(f"El libro no tiene la hoja «{name}».", sheet=name,
                         fix="Use una plantilla de minga (`minga nuevo`) o restaure la hoja.")

    # --- reading ---------------------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        """The used range in one read, placed from A1 (its top-left may be further in)."""
        used = self._sheet(sheet).used_range
        values = used.options(ndim=2).value or []
        top, left = used.row - 1, used.column - 1
        rows: list[list[CellValue]] = [[] for _ in range(top)]
        for row in values:
            rows.append([None] * left + [self._cell(v) for v in row])
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        return rows

    def read_formulas(self, sheet: str) -> dict[tuple[int, int], str]:
        """Where the formulas are (``read_values`` gives their results): the used range's
        ``.formula`` in one read.  Excel gives a constant's text there too, so only texts
        starting with ``=`` count (text typed as ``'=…`` also reads so; sync tells it apart
        by its value, which is that same text)."""
        used = self._sheet(sheet).used_range
        texts = used.formula
        if not isinstance(texts, list | tuple):
            texts = ((texts,),)
        elif texts and not isinstance(texts[0], list | tuple):
            texts = (texts,)
        top, left = used.row - 1, used.column - 1
        return {(top + r, left + c): text for r, row in enumerate(texts)
                for c, text in enumerate(row) if isinstance(text, str) and text.startswith("=")}

    @staticmethod
    def _cell(value: Any) -> CellValue:
        """Excel hands every number over as a float: whole ones become ints again."""
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        ws = self._sheet(sheet)
        out = {}
        for ref in cells:  # Excel keeps a note per cell: one look per cell asked for
            rng = ws.range(ref)
            note = rng.note
            out[ref] = Annotation(note=note.text if note is not None else None,
                                  fill=_hex(rng.color))
        return out

    # --- writing ---------------------------------------------------------------------------

    def add_sheet(self, name: str) -> None:
        sheets = list(self.book.sheets)
        self.book.sheets.add(name, after=sheets[-1] if sheets else None)

    def clear_sheet(self, sheet: str) -> None:
        self._sheet(sheet).clear()
        self._written.pop(sheet, None)

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        block = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in rows]
        self._sheet(sheet).range(top_left).value = block
        r0, c0 = coordinate_to_tuple(top_left)
        seen = self._written[sheet]
        for r, row in enumerate(rows, start=r0):
            for c, value in enumerate(row, start=c0):
                seen[(r, c)] = value

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        ws = self._sheet(sheet)
        by_fill: dict[str, list[str]] = defaultdict(list)
        for ref, annotation in annotations.items():
            by_fill[annotation.fill].append(ref)
        for fill, refs in by_fill.items():  # one call per colour (and per 250 characters)
            for address in unions(refs):
                ws.range(address).color = f"#{fill}" if len(fill) == 6 else None
        for ref, annotation in annotations.items():
            rng = ws.range(ref)
            note = rng.note
            if annotation.note is None:
                if note is not None:
                    note.delete()
            elif note is not None:
                note.text = annotation.note
            else:
                rng.add_note(annotation.note)

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        ws = self._sheet(sheet)
        for letter, width in fmt.column_widths.items():
            ws.range(f"{letter}:{letter}").column_width = width
        for letter, number_format in fmt.column_formats.items():
            ws.range(f"{letter}:{letter}").number_format = number_format
        for row, height in fmt.row_heights.items():
            ws.range(f"{row}:{row}").row_height = height
        for address in fmt.merges:
            ws.range(address).merge()
        for styled in fmt.styles:
            self._style(ws.range(styled.range), styled.style)
        for note in fmt.notes:
            rng = ws.range(note.cell)
            if rng.note is not None:
                rng.note.text = note.text
            else:
                rng.add_note(note.text)
        written = self._written.get(sheet, {})
        for link in fmt.links:
            text = written.get(coordinate_to_tuple(link.cell))
            ws.range(link.cell).add_hyperlink(
                f"#'{link.target_sheet}'!{link.target}",
                text_to_display=str(text) if text is not None else link.target,
                screen_tip=f"Ir a {link.target_sheet}!{link.target}")
        if fmt.hidden:
            ws.visible = False
        self._native(ws, fmt)

    @staticmethod
    def _style(rng: Any, style: Style) -> None:
        """One range's look: fill, font, number format, wrap and alignment."""
        if style.fill:
            rng.color = f"#{style.fill}"
        font = rng.font
        font.name = style.font or FONT_NAME
        font.size = style.size or FONT_SIZE
        if style.bold:
            font.bold = True
        if style.italic:
            font.italic = True
        if style.font_color:
            font.color = f"#{style.font_color}"
        if style.number_format:
            rng.number_format = style.number_format
        if style.wrap:
            rng.wrap_text = True
        if style.h_align:
            rng.horizontal_alignment = style.h_align
        if style.v_align:
            rng.vertical_alignment = style.v_align

    @staticmethod
    def _native(ws: Any, fmt: SheetFormat) -> None:
        """Page setup through Excel's own object model, where Excel runs (Windows)."""
        setup = fmt.print_setup
        if setup is None:
            return
        try:
            page = ws.api.PageSetup
            page.Orientation = 2 if setup.landscape else 1
            if setup.fit_width or setup.fit_height:
                page.Zoom = False
                page.FitToPagesWide = setup.pages_wide if setup.fit_width else False
                page.FitToPagesTall = 1 if setup.fit_height else False
            if setup.repeat_rows:
                page.PrintTitleRows = "$" + setup.repeat_rows.replace(":", ":$")
        except Exception:
            return

    def move_sheet(self, sheet: str, after: str | None) -> None:
        ws = self._sheet(sheet)
        sheets = list(self.book.sheets)
        try:
            if after is None:
                ws.api.Move(Before=sheets[0].api)
            else:
                ws.api.Move(After=self._sheet(after).api)
        except Exception:
            return

    def activate(self, sheet: str) -> None:
        self._sheet(sheet).activate()

    def define_names(self, names: Mapping[str, str]) -> None:
        for name, ref in names.items():
            self.book.names.add(name, "=" + ref.lstrip("="))

    def save(self) -> None:
        """Nothing: the workbook stays open in Excel, changed, for the user to save (or
        close without saving to go back)."""

    # --- talking to the user ---------------------------------------------------------------

    def alert(self, message: str, title: str = "minga", *, critical: bool = False) -> None:
        """A message box in Excel (never a Python traceback window)."""
        self.book.app.alert(message, title, mode="critical" if critical else "info")
