"""The openpyxl backend: .xlsx files on disk, created or modified, saved atomically."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Collection, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments import Comment
from openpyxl.formatting.rule import DataBarRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.fills import Fill, GradientFill
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils.cell import (
    coordinate_to_tuple,
    range_boundaries,
)
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring, tostring

from addin.backends.base import (
    FONT_NAME,
    FONT_SIZE,
    MARK_AUTHOR,
    Annotation,
    CellValue,
    Formula,
    Rows,
    SheetFormat,
    Style,
    Validation,
)
from addin.backends.preserve import Loss, refusal
from addin.backends.restore import checked
from addin.errors import MingaError
from addin.fileio import atomic_write, backup

_XML_TOKEN = "xlsx:"
DATE_FORMAT = "dd-mm-yyyy"
_PAPER = {"letter": 1, "legal": 5, "a4": 9}
#: A fixed timestamp for the document properties, so that building twice gives equal files.
_FIXED_TIME = datetime(2026, 1, 1)


def _color(hex_rgb: str) -> str:
    return "FF" + hex_rgb.upper()


def _font(style: Style) -> Font:
    """A cell font, always named and sized (LibreOffice and Sheets show unnamed ones serif)."""
    return Font(name=style.font or FONT_NAME, size=style.size or FONT_SIZE, bold=style.bold,
                italic=style.italic,
                color=_color(style.font_color) if style.font_color else None)


def _rule_font(style: Style) -> Font | None:
    """A conditional format's font: weight and colour only (Excel allows no face or size)."""
    if not (style.bold or style.italic or style.font_color):
        return None
    return Font(bold=style.bold or None, italic=style.italic or None,
                color=_color(style.font_color) if style.font_color else None)


def _alignment(style: Style) -> Alignment:
    return Alignment(horizontal=style.h_align, vertical=style.v_align,
                     wrap_text=style.wrap or None, text_rotation=style.rotation,
                     indent=style.indent)


def _border(style: Style) -> Border | None:
    if not style.border:
        return None
    side = Side(style=style.border, color=_color(style.border_color))
    return Border(left=side, right=side, top=side, bottom=side)


def fill_token(fill: Fill) -> str:
    """A fill as ``Annotation.fill``: "" none, ``RRGGBB`` plain solid, else its OOXML."""
    if isinstance(fill, PatternFill):
        if fill.fill_type in (None, "none"):
            return ""
        fg = fill.fgColor
        if fill.fill_type == "solid" and fg.type == "rgb" and isinstance(fg.rgb, str) and \
                len(fg.rgb) == 8 and fg.rgb.upper().startswith("FF") and not fg.tint:
            return fg.rgb[2:].upper()
    return _XML_TOKEN + tostring(fill.to_tree()).decode()


def _cell_fill_token(cell: Cell) -> str:
    if not cell.has_style:
        return ""
    # The workbook's shared fill itself (cell.fill is a read-only proxy that would be copied).
    return fill_token(cell.parent.parent._fills[cell._style.fillId])


def fill_from_token(token: str) -> Fill:
    """The fill a token stands for; a token that is not one of ours (the record of marks lives
    in the workbook, so it may have been edited) is no fill rather than an error."""
    if not token:
        return PatternFill()
    if len(token) == 6 and all(ch in "0123456789ABCDEFabcdef" for ch in token):
        return _fill(token) or PatternFill()
    xml = token.removeprefix(_XML_TOKEN)
    # No "<!": no DOCTYPE, hence no entity can be declared, let alone expanded.
    if xml == token or len(xml) > 4000 or "<!" in xml:
        return PatternFill()
    try:
        fill = Fill.from_tree(fromstring(xml))
    except Exception:  # a damaged token: anything openpyxl's parser or descriptors reject
        return PatternFill()
    return fill if isinstance(fill, PatternFill | GradientFill) else PatternFill()


def _fill(hex_rgb: str | None) -> PatternFill | None:
    if not hex_rgb:
        return None
    return PatternFill(fill_type="solid", start_color=_color(hex_rgb), end_color=_color(hex_rgb))


@dataclass
class Saved:
    """What saving an opened workbook did: the backup it made, and what ``force`` let go."""

    backup: Path | None = None
    lost: list[Loss] = field(default_factory=list)


def _has_macros(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())


class OpenpyxlBackend:
    """A workbook file read and written with openpyxl."""

    def __init__(self, workbook: Workbook, path: Path, opened: bool = False) -> None:
        self.workbook = workbook
        self.path = Path(path)
        #: Opened from an existing file: saving it checks that nothing of the user's is lost.
        self.opened = opened

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
            with warnings.catch_warnings():
                # «… extension is not supported and will be removed»: ``save`` sees to that.
                warnings.simplefilter("ignore", UserWarning)
                # keep_vba keeps a macro project (and the .xlsm content type); external links
                # are kept by openpyxl's default (keep_links).
                # rich_text keeps a cell's mixed formatting (a bold word) as it was.
                workbook = load_workbook(path, rich_text=True, keep_vba=_has_macros(path),
                                         keep_links=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise MingaError(f"No se pudo abrir «{path}» como libro .xlsx ({type(exc).__name__}).",
                             fix="Ábralo en Excel, repárelo y guárdelo como .xlsx.") from None
        return cls(workbook, path, opened=True)

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
                         else str(c.value) if isinstance(c.value, CellRichText)
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
        for letter, style in fmt.column_styles.items():
            dimension = ws.column_dimensions[letter]
            dimension.font = _font(style)
            dimension.alignment = _alignment(style)
            if style.number_format:
                dimension.number_format = style.number_format
            if style.fill:
                dimension.fill = _fill(style.fill)
            if style.locked is not None:
                dimension.protection = Protection(locked=style.locked)
        for row, height in fmt.row_heights.items():
            ws.row_dimensions[row].height = height
        for row in fmt.hidden_rows:
            ws.row_dimensions[row].hidden = True
        for letter in fmt.hidden_columns:
            ws.column_dimensions[letter].hidden = True
        for styled in fmt.styles:
            self._style_range(ws, styled.range, styled.style)
        for merged in fmt.merges:
            self._merge_cells(ws, merged)
        for validation in fmt.validations:
            ws.add_data_validation(self._validation(validation))
        # Data bars first: LibreOffice draws a bar only if no earlier rule styled the cell.
        for bar in fmt.data_bars:
            ws.conditional_formatting.add(bar.range, DataBarRule(
                start_type="num", start_value=bar.minimum, end_type="num",
                end_value=bar.maximum, color=_color(bar.color), showValue=True))
        for rule in fmt.conditional:
            ws.conditional_formatting.add(rule.range, FormulaRule(
                formula=[rule.formula.removeprefix("=")], stopIfTrue=rule.stop,
                fill=_fill(rule.style.fill), font=_rule_font(rule.style),
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
            ws[link.cell].font = Font(name=FONT_NAME, size=FONT_SIZE, color="FF0563C1",
                                      underline="single")
        if fmt.freeze:
            ws.freeze_panes = fmt.freeze
        if fmt.print_setup:
            ps = fmt.print_setup
            ws.page_setup.orientation = "landscape" if ps.landscape else "portrait"
            ws.page_setup.paperSize = _PAPER[ps.paper]
            if ps.fit_width or ps.fit_height:
                ws.sheet_properties.pageSetUpPr.fitToPage = True
                ws.page_setup.fitToWidth = ps.pages_wide if ps.fit_width else 0
                ws.page_setup.fitToHeight = int(ps.fit_height)
            else:
                ws.page_setup.scale = 100
            if ps.repeat_rows:
                ws.print_title_rows = ps.repeat_rows
            if ps.repeat_columns:
                ws.print_title_cols = ps.repeat_columns
            for column in ps.column_breaks:
                ws.col_breaks.append(Break(id=column, max=1048575))
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
        if fmt.protect:
            protection = ws.protection
            protection.sheet = True
            # Resizing and formatting stay allowed: protection guards formulas, not looks.
            protection.formatCells = protection.formatColumns = protection.formatRows = False

    def _style_ids(self, workbook: Workbook, style: Style) -> dict[str, int]:
        """The workbook's indexes of a style's parts (font, fill, border…), added to its style
        tables on first use, in the order openpyxl's cell setters add them.

        Setting ``cell.font = Font(…)`` makes openpyxl hash the font to find its index, and
        hashing its objects is most of what building a workbook costs; the indexes of a style
        never change, so they are looked up once per workbook."""
        cache = self.__dict__.setdefault("_style_cache", {})
        known = cache.get(id(workbook))
        if known is None or known[0] is not workbook:
            known = cache[id(workbook)] = (workbook, {})
        found = known[1].get(style)
        if found is not None:
            return found
        ids: dict[str, int] = {}
        if style.fill:
            ids["fillId"] = workbook._fills.add(_fill(style.fill))
        ids["fontId"] = workbook._fonts.add(_font(style))
        ids["alignmentId"] = workbook._alignments.add(_alignment(style))
        border = _border(style)
        if border:
            ids["borderId"] = workbook._borders.add(border)
        if style.number_format:
            if style.number_format in BUILTIN_FORMATS_REVERSE:
                ids["numFmtId"] = BUILTIN_FORMATS_REVERSE[style.number_format]
            else:
                ids["numFmtId"] = (workbook._number_formats.add(style.number_format)
                                   + BUILTIN_FORMATS_MAX_SIZE)
        if style.locked is not None:
            ids["protectionId"] = workbook._protections.add(Protection(locked=style.locked))
        known[1][style] = ids
        return ids

    def _merge_cells(self, ws: Worksheet, cell_range: str) -> None:
        """``ws.merge_cells(cell_range)``, the same workbook byte for byte, a fifth of the time.

        openpyxl merges by turning the range's cells into ``MergedCell``s, giving each edge
        cell the top-left cell's border on that edge (``cell.border += Border(top=…)``) and
        every cell its protection: each of those sets hashes a border or a protection to find
        its index.  Here each distinct case (top-left border, edge, the cell's border before)
        is done once by those same openpyxl operations and its resulting index reused."""
        merged = MergedCellRange(ws, cell_range)
        ws.merged_cells.add(merged)
        cells = merged.cells
        next(cells)  # the top-left cell stays
        for row, col in cells:
            ws._cells[row, col] = MergedCell(ws, row, col)
        cache = self.__dict__.setdefault("_merge_cache", {})
        known = cache.get(id(ws.parent))
        if known is None or known[0] is not ws.parent:
            known = cache[id(ws.parent)] = (ws.parent, {})
        done: dict[tuple[Any, ...], int] = known[1]
        start = merged.start_cell
        for name in ("top", "left", "right", "bottom"):
            side = getattr(start.border, name)  # (the getter gives the cell a style array)
            if side and side.style is None:
                continue  # as openpyxl: no border on this edge, nothing to copy
            for coord in getattr(merged, name):
                cell = ws._cells.get(coord)
                if cell is None:
                    cell = ws._cells[coord] = MergedCell(ws, row=coord[0], column=coord[1])
                if not cell._style:
                    cell._style = StyleArray()
                key = ("border", start._style.borderId, name, cell._style.borderId)
                if key in done:
                    cell._style.borderId = done[key]
                else:
                    cell.border += Border(**{name: side})
                    done[key] = cell._style.borderId
        protection = copy(start.protection)
        key = ("protection", start._style.protectionId)
        if key not in done:
            done[key] = ws.parent._protections.add(protection)
        for coord in merged.cells:
            cell = ws._cells.get(coord)
            if cell is None:
                cell = ws._cells[coord] = MergedCell(ws, row=coord[0], column=coord[1])
            if not cell._style:
                cell._style = StyleArray()
            cell._style.protectionId = done[key]

    def _style_range(self, ws: Worksheet, cell_range: str, style: Style) -> None:
        """Style every cell of a range, keeping what ``style`` leaves unset (fill, border…).

        Cells that had the same style end with the same style: it is worked out once per
        distinct starting style and copied.  What openpyxl's setters (``cell.font = …``) would
        do is done on the cell's style array directly, with the indexes of ``_style_ids``: the
        same workbook, byte for byte, without hashing every part again.
        """
        ids: dict[str, int] | None = None
        done: dict[tuple[int, ...], StyleArray] = {}
        min_col, min_row, max_col, max_row = range_boundaries(cell_range)
        for row in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                max_col=max_col):
            for cell in row:
                before = tuple(cell._style or ())
                if before in done:
                    cell._style = copy(done[before])
                    continue
                if ids is None:
                    ids = self._style_ids(ws.parent, style)
                array = cell._style
                if not array:  # as openpyxl's setters do for a cell without a style yet
                    array = cell._style = StyleArray()
                for key, index in ids.items():
                    setattr(array, key, index)
                done[before] = copy(array)

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
        for part in v.range.split():  # "D10:E10 D12:E14": several ranges, one validation
            dv.add(part)
        return dv

    # --- marks: notes and fills of chosen cells (policy in addin.actions.marks) ---------------

    @staticmethod
    def _existing(ws: Worksheet, ref: str) -> Cell | MergedCell | None:
        """The cell ``ref`` shows (a merged range's top-left), without creating it."""
        row, col = coordinate_to_tuple(ref)
        cell = ws._cells.get((row, col))  # only cells that exist: never the sheet's area
        if isinstance(cell, MergedCell):
            for merged in ws.merged_cells.ranges:
                if merged.min_row <= row <= merged.max_row and \
                        merged.min_col <= col <= merged.max_col:
                    return ws._cells.get((merged.min_row, merged.min_col))
        return cell

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        ws = self._ws(sheet)
        found: dict[str, Annotation] = {}
        for ref in cells:
            cell = self._existing(ws, ref)
            if cell is None:
                found[ref] = Annotation()
                continue
            comment = cell.comment
            found[ref] = Annotation(
                note=comment.text if comment is not None else None,
                author=(comment.author or "") if comment is not None else "",
                fill=_cell_fill_token(cell))
        return found

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        ws = self._ws(sheet)
        for ref, wanted in annotations.items():
            existing = self._existing(ws, ref)
            if existing is None:
                if wanted.note is None and not wanted.fill:
                    continue  # nothing to take away from a cell that does not exist
                row, col = coordinate_to_tuple(ref)
                existing = ws.cell(row=row, column=col)
            if isinstance(existing, MergedCell):  # a merged range without its top-left cell
                continue
            cell = existing
            comment = cell.comment
            if wanted.note is None:
                if comment is not None:
                    cell.comment = None
            elif comment is None or comment.text != wanted.note or \
                    (comment.author or "") != wanted.author:
                lines = wanted.note.count("\n") + 1
                # A mark's note is sized to its text (up to a screenful); others as openpyxl
                # writes every note it reads back (it does not keep their size).
                size = ({"width": 320, "height": min(400, max(160, 16 * lines + 24))}
                        if wanted.author == MARK_AUTHOR else {})
                cell.comment = Comment(wanted.note, wanted.author, **size)
            if _cell_fill_token(cell) != wanted.fill:
                cell.fill = fill_from_token(wanted.fill)

    def move_sheet(self, sheet: str, after: str | None) -> None:
        ws = self._ws(sheet)
        names = self.workbook.sheetnames
        target = 0 if after is None else names.index(self._ws(after).title) + 1
        current = names.index(ws.title)
        if target > current:
            target -= 1  # the sheet leaves its place before it is inserted
        self.workbook.move_sheet(ws, offset=target - current)

    def activate(self, sheet: str) -> None:
        ws = self._ws(sheet)
        ws.sheet_state = "visible"  # a hidden sheet cannot be the one a workbook opens on
        for other in self.workbook.worksheets:
            # Excel groups every sheet whose tab is selected: only one may be.
            other.sheet_view.tabSelected = other is ws
        self.workbook.active = ws
        for view in self.workbook.views:
            view.firstSheet = min(view.firstSheet or 0, self.workbook.index(ws))

    def define_names(self, names: Mapping[str, str]) -> None:
        for name, ref in names.items():
            if name in self.workbook.defined_names:
                del self.workbook.defined_names[name]
            self.workbook.defined_names[name] = DefinedName(name, attr_text=ref)

    def _unique_vml_names(self) -> None:
        """With a macro project kept, openpyxl writes each sheet's notes into the VML drawing
        the sheet had, under its old name, and new notes under «commentsDrawingN.vml»: the
        two can clash (two zip members of one name).  Each kept drawing gets a fresh name
        that openpyxl's copy of macro parts still recognises (``…vmlDrawing<digit>.vml``)."""
        archive = self.workbook.vba_archive
        if archive is None:
            return
        for n, ws in enumerate(self.workbook.worksheets):
            old = ws.legacy_drawing
            if old and old in archive.namelist():
                new = f"xl/drawings/minga{n}-vmlDrawing0.vml"
                if new not in archive.namelist():
                    archive.writestr(new, archive.read(old))
                ws.legacy_drawing = new

    def save(self, *, own: Collection[str] = (), keep_backup: bool = False,
             force: bool = False, forceable: bool = False) -> Saved:
        """Write the workbook atomically.  For a workbook opened from a file: put back what
        openpyxl dropped and can be put back (``preserve.restore``), then compare the new
        package with the file it replaces; if anything of the user's would be lost (``own``
        names minga's sheets, which it rewrites on purpose), refuse — the file is left as it
        was and no backup is made — unless ``force``.  The backup (``keep_backup``, and always
        when something is let go) is made only once the new file is known to be whole.
        ``forceable``: the caller's command offers ``--forzar``, so the refusal may say so."""
        self.workbook.calculation.fullCalcOnLoad = True
        saved = Saved()
        if not self.opened:
            atomic_write(self.path, self.workbook.save)
            return saved

        def write(tmp: Path) -> None:
            buffer = io.BytesIO()
            self._unique_vml_names()
            self.workbook.save(buffer)
            package = buffer.getvalue()
            if self.path.suffix.lower() == ".xlsm":  # minga's buttons (issue 7): put back
                from addin.backends.xlsm_buttons import ensure_buttons

                package = ensure_buttons(package)
            data, lost = checked(self.path, package, own)
            if lost and not force:
                raise refusal(self.path, lost, forceable)
            tmp.write_bytes(data)
            saved.lost = lost
            if keep_backup or lost:
                saved.backup = backup(self.path)

        atomic_write(self.path, write)
        return saved
