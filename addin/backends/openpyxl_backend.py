"""The openpyxl backend: .xlsx files on disk, created or modified, saved atomically."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import (
    coordinate_to_tuple,
    range_boundaries,
)
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.backends.base import (
    MARK_FILLS,
    CellValue,
    Formula,
    Mark,
    Rows,
    SheetFormat,
    Style,
    Validation,
)
from addin.errors import MingaError
from addin.fileio import atomic_write

MARK_AUTHOR = "minga"
DATE_FORMAT = "dd-mm-yyyy"
_PAPER = {"letter": 1, "legal": 5, "a4": 9}
#: A fixed timestamp for the document properties, so that building twice gives equal files.
_FIXED_TIME = datetime(2026, 1, 1)


def _color(hex_rgb: str) -> str:
    return "FF" + hex_rgb.upper()


def _font(style: Style) -> Font:
    return Font(bold=style.bold, italic=style.italic, size=style.size,
                color=_color(style.font_color) if style.font_color else None)


def _border(style: Style) -> Border | None:
    if not style.border:
        return None
    side = Side(style=style.border, color=_color(style.border_color))
    return Border(left=side, right=side, top=side, bottom=side)


def _fill(hex_rgb: str | None) -> PatternFill | None:
    if not hex_rgb:
        return None
    return PatternFill(fill_type="solid", start_color=_color(hex_rgb), end_color=_color(hex_rgb))


class OpenpyxlBackend:
    """A workbook file read and written with openpyxl."""

    def __init__(self, workbook: Workbook, path: Path) -> None:
        self.workbook = workbook
        self.path = Path(path)

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path) -> OpenpyxlBackend:
        workbook = Workbook()
        workbook.remove(workbook.active)
        workbook.properties.creator = "minga"
        workbook.properties.created = _FIXED_TIME
        return cls(workbook, path)

    @classmethod
    def open(cls, path: Path) -> OpenpyxlBackend:
        """Open an existing .xlsx for modification (formulas kept as formulas)."""
        path = Path(path)
        if not path.is_file():
            raise MingaError(f"No existe el archivo «{path}».", fix="Revise la ruta.")
        if not zipfile.is_zipfile(path):
            raise MingaError(f"«{path}» no es un libro .xlsx (no es un archivo zip válido).",
                             fix="Guárdelo desde Excel como «Libro de Excel (.xlsx)».")
        try:
            workbook = load_workbook(path, rich_text=False)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise MingaError(f"No se pudo abrir «{path}» como libro .xlsx ({type(exc).__name__}).",
                             fix="Ábralo en Excel, repárelo y guárdelo como .xlsx.") from None
        return cls(workbook, path)

    def _ws(self, sheet: str) -> Worksheet:
        try:
            return self.workbook[sheet]
        except KeyError:
            raise MingaError(f"El libro no tiene la hoja «{sheet}».", sheet=sheet,
                             fix="Use una plantilla de minga (`minga nuevo`) o restaure la "
                                 "hoja.") from None

    # --- the interface ---------------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def add_sheet(self, name: str) -> None:
        if name in self.workbook.sheetnames:
            raise ValueError(f"sheet {name!r} exists")
        self.workbook.create_sheet(name)

    def clear_sheet(self, sheet: str) -> None:
        ws = self._ws(sheet)
        index = self.workbook.sheetnames.index(sheet)
        self.workbook.remove(ws)
        self.workbook.create_sheet(sheet, index)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        ws = self._ws(sheet)
        rows: list[list[CellValue]] = []
        for row in ws.iter_rows():
            rows.append([Formula(c.value) if c.data_type == "f" and isinstance(c.value, str)
                         else c.value for c in row])
        return rows

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        ws = self._ws(sheet)
        r0, c0 = coordinate_to_tuple(top_left)
        for r, row in enumerate(rows, start=r0):
            for c, value in enumerate(row, start=c0):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, Formula):
                    cell.value = value.text
                elif isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # text stays text, even "=…" (no formula injection)
                else:
                    cell.value = value
                    if isinstance(value, date) and (
                            not cell.is_date or cell.number_format.startswith("yyyy-mm-dd")):
                        cell.number_format = DATE_FORMAT  # Chilean day-first, not ISO

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        ws = self._ws(sheet)
        for letter, width in fmt.column_widths.items():
            ws.column_dimensions[letter].width = width
        for letter, number_format in fmt.column_formats.items():
            ws.column_dimensions[letter].number_format = number_format
        for row, height in fmt.row_heights.items():
            ws.row_dimensions[row].height = height
        for row in fmt.hidden_rows:
            ws.row_dimensions[row].hidden = True
        for letter in fmt.hidden_columns:
            ws.column_dimensions[letter].hidden = True
        for styled in fmt.styles:
            self._style_range(ws, styled.range, styled.style)
        for merged in fmt.merges:
            ws.merge_cells(merged)
        for validation in fmt.validations:
            ws.add_data_validation(self._validation(validation))
        for rule in fmt.conditional:
            ws.conditional_formatting.add(rule.range, FormulaRule(
                formula=[rule.formula.removeprefix("=")], stopIfTrue=rule.stop,
                fill=_fill(rule.style.fill), font=_font(rule.style),
                border=_border(rule.style)))
        for table in fmt.tables:
            xl_table = XlTable(displayName=table.name, ref=table.range)
            xl_table.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
            ws.add_table(xl_table)
        for note in fmt.notes:
            comment = Comment(note.text, "minga")
            comment.width, comment.height = 320, 160
            ws[note.cell].comment = comment
        for link in fmt.links:
            ws[link.cell].hyperlink = Hyperlink(ref=link.cell, location=(
                f"'{link.target_sheet}'!{link.target}"))
            ws[link.cell].font = Font(color="FF0563C1", underline="single")
        if fmt.freeze:
            ws.freeze_panes = fmt.freeze
        if fmt.print_setup:
            ps = fmt.print_setup
            ws.page_setup.orientation = "landscape" if ps.landscape else "portrait"
            ws.page_setup.paperSize = _PAPER[ps.paper]
            if ps.fit_width:
                ws.sheet_properties.pageSetUpPr.fitToPage = True
                ws.page_setup.fitToWidth = 1
                ws.page_setup.fitToHeight = 0
            if ps.repeat_rows:
                ws.print_title_rows = ps.repeat_rows
            ws.print_options.horizontalCentered = True
            ws.page_margins.left = ws.page_margins.right = 0.4
            ws.page_margins.top = ws.page_margins.bottom = 0.5
            if ps.title:
                ws.oddHeader.center.text = ps.title
            ws.oddFooter.right.text = "Página &P de &N"
        if fmt.tab_color:
            ws.sheet_properties.tabColor = fmt.tab_color
        if fmt.hidden:
            ws.sheet_state = "hidden"
        ws.sheet_view.showGridLines = fmt.gridlines
        if fmt.zoom:
            ws.sheet_view.zoomScale = fmt.zoom

    @staticmethod
    def _style_range(ws: Worksheet, cell_range: str, style: Style) -> None:
        fill, font, border = _fill(style.fill), _font(style), _border(style)
        alignment = Alignment(horizontal=style.h_align, vertical=style.v_align,
                              wrap_text=style.wrap or None, text_rotation=style.rotation,
                              indent=style.indent)
        min_col, min_row, max_col, max_row = range_boundaries(cell_range)
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                max_col=max_col):
            for cell in row:
                if fill:
                    cell.fill = fill
                cell.font = font
                cell.alignment = alignment
                if border:
                    cell.border = border
                if style.number_format:
                    cell.number_format = style.number_format

    @staticmethod
    def _validation(v: Validation) -> DataValidation:
        if v.kind == "list":
            dv = DataValidation(type="list", formula1=(v.source or "").removeprefix("="),
                                allow_blank=True)
        else:
            def as_formula(x: float | date | None) -> str | None:
                if isinstance(x, date):
                    return f"DATE({x.year},{x.month},{x.day})"
                return None if x is None else repr(x)

            dv = DataValidation(type=v.kind, operator="between", allow_blank=True,
                                formula1=as_formula(v.minimum), formula2=as_formula(v.maximum))
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        dv.errorTitle = (v.title or "Valor no válido")[:32]
        dv.error = (v.error or "El valor no es válido para esta columna.")[:255]
        if v.prompt:
            dv.showInputMessage = True
            dv.promptTitle = (v.title or "")[:32]
            dv.prompt = v.prompt[:255]
        dv.add(v.range)
        return dv

    def mark(self, sheet: str, marks: Sequence[Mark]) -> None:
        ws = self._ws(sheet)
        for m in marks:
            min_col, min_row, max_col, max_row = range_boundaries(m.range)
            first = ws.cell(row=min_row, column=min_col)
            if m.note:
                old = first.comment.text + "\n" if first.comment and \
                    first.comment.author == MARK_AUTHOR else ""
                first.comment = Comment(old + m.note, MARK_AUTHOR, width=320, height=160)
            if m.fill:
                for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                        max_col=max_col):
                    for cell in row:
                        cell.fill = _fill(m.fill)

    def clear_marks(self, sheet: str, mark_fills: Sequence[str] = MARK_FILLS) -> None:
        """Remove minga's notes, and fills whose colour is one of ``mark_fills``."""
        ws = self._ws(sheet)
        colours = {_color(c) for c in mark_fills}
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == MARK_AUTHOR:
                    cell.comment = None
                if colours and cell.fill.fill_type == "solid" and \
                        cell.fill.start_color.rgb in colours:
                    cell.fill = PatternFill()

    def define_names(self, names: Mapping[str, str]) -> None:
        for name, ref in names.items():
            if name in self.workbook.defined_names:
                del self.workbook.defined_names[name]
            self.workbook.defined_names[name] = DefinedName(name, attr_text=ref)

    def save(self) -> None:
        self.workbook.calculation.fullCalcOnLoad = True
        atomic_write(self.path, self.workbook.save)
