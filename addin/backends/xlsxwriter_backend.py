"""New workbooks, written with XlsxWriter: ``minga nuevo`` and the committed templates.

openpyxl builds a workbook as a tree of objects and writes it with a pure-Python XML
serialiser: building the 15-month workbook that way took most of a second, half of it saving.
XlsxWriter writes a new workbook's XML as strings, several times faster, but it cannot read
back; building does read back (populating finds the Gantt rows and the Programa fields, the
record of what minga wrote is loaded before it is saved).  So this backend keeps the workbook in
memory as plain data — each cell's value, each cell's look as a tuple, each sheet's formatting
— which the actions read like any workbook, and hands everything to XlsxWriter once, on
``save``.  A workbook that exists is opened and changed with openpyxl (``OpenpyxlBackend``).

Looks compose as they do in ``OpenpyxlBackend``: a style sets the font and alignment, and the
fill, border, number format and protection only when it has them (keeping an earlier style's
otherwise); a merged range's edge cells take its top-left cell's borders, every cell its
protection; a date gets ``dd-mm-yyyy`` unless its cell already shows dates.  A workbook built
here therefore looks, prints and validates as one built with openpyxl.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NamedTuple

from addin.backends.base import (
    FONT_NAME,
    FONT_SIZE,
    MARK_AUTHOR,
    Annotation,
    CellValue,
    ConditionalRule,
    Formula,
    Rows,
    SheetFormat,
    Style,
    Validation,
)
from addin.fileio import atomic_write

DATE_FORMAT = "dd-mm-yyyy"
#: A fixed timestamp for the document properties, so that building twice gives equal files.
FIXED_TIME = datetime(2026, 1, 1)
_PAPER = {"letter": 1, "legal": 5, "a4": 9}
_BORDER = {"thin": 1, "medium": 2, "hair": 7}
_VALIGN = {"top": "top", "center": "vcenter", "bottom": "bottom"}
_KIND = {"list": "list", "whole": "integer", "decimal": "decimal", "date": "date"}
#: Where openpyxl keeps a note it writes when none was sized (its defaults, in pixels).
_NOTE_SIZE = (144, 79)
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
# openpyxl's test of a date format (openpyxl.styles.numbers.is_date_format), so dates keep the
# same number formats without importing openpyxl.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")

Side = tuple[str, str] | None  # (line style, RRGGBB)


def is_date_format(number_format: str | None) -> bool:
    if number_format is None:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", number_format.split(";")[0])) is not None


class Look(NamedTuple):
    """What a cell looks like; None parts are the workbook's defaults (Calibri 11, General)."""

    font: tuple[str, float, bool, bool, str | None, bool] | None = None  # …colour, underline
    fill: str | None = None
    border: tuple[Side, Side, Side, Side] = (None, None, None, None)  # left right top bottom
    align: tuple[str | None, str | None, bool, int, int] | None = None
    number_format: str | None = None
    locked: bool | None = None


PLAIN = Look()


def _font(style: Style) -> tuple[str, float, bool, bool, str | None, bool]:
    return (style.font or FONT_NAME, style.size or FONT_SIZE, style.bold, style.italic,
            style.font_color.upper() if style.font_color else None, False)


def _styled(look: Look, style: Style) -> Look:
    """``look`` with ``style`` applied as ``OpenpyxlBackend`` applies it."""
    side: Side = (style.border, style.border_color.upper()) if style.border else None
    return Look(
        font=_font(style),
        fill=style.fill.upper() if style.fill else look.fill,
        border=(side, side, side, side) if side else look.border,
        align=(style.h_align, style.v_align, style.wrap, style.rotation, style.indent),
        number_format=style.number_format or look.number_format,
        locked=look.locked if style.locked is None else style.locked)


def cell_index(ref: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference such as ``"C9"`` or ``"$C$9"``."""
    match = _A1.match(ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def range_index(ref: str) -> tuple[int, int, int, int]:
    """0-based (first row, first column, last row, last column) of ``"A1:C3"`` or ``"A1"``."""
    first, _, last = ref.partition(":")
    r0, c0 = cell_index(first)
    r1, c1 = cell_index(last) if last else (r0, c0)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def column_index(letters: str) -> int:
    return cell_index(f"{letters}1")[1]


@dataclass
class Note:
    text: str
    author: str
    size: tuple[int, int]


@dataclass
class SheetData:
    """One sheet in memory: values and looks by 0-based (row, column), and its formatting."""

    values: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    looks: dict[tuple[int, int], Look] = field(default_factory=dict)
    notes: dict[tuple[int, int], Note] = field(default_factory=dict)
    formats: list[SheetFormat] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False


class XlsxWriterBackend:
    """A new workbook, held in memory and written with XlsxWriter on ``save``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.sheets: dict[str, SheetData] = {}
        self.names: dict[str, str] = {}
        self.active: str | None = None

    @classmethod
    def create(cls, path: Path) -> XlsxWriterBackend:
        return cls(path)

    def _sheet(self, sheet: str) -> SheetData:
        try:
            return self.sheets[sheet]
        except KeyError:
            raise ValueError(f"no sheet {sheet!r}") from None

    # --- reading back what was written ---------------------------------------------------

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def read_values(self, sheet: str) -> list[list[CellValue]]:
        """Every value from A1 to the last cell that has a value or a look (as openpyxl
        reads a sheet it holds: formulas as ``Formula``, dates as written)."""
        data = self._sheet(sheet)
        cells = data.values.keys() | data.looks.keys()
        if not cells:
            return []
        rows = max(r for r, _ in cells) + 1
        cols = max(c for _, c in cells) + 1
        grid: list[list[CellValue]] = [[None] * cols for _ in range(rows)]
        for (r, c), value in data.values.items():
            grid[r][c] = value
        return grid

    def read_annotations(self, sheet: str, cells: Sequence[str]) -> dict[str, Annotation]:
        data = self._sheet(sheet)
        found: dict[str, Annotation] = {}
        for ref in cells:
            at = self._shown(data, cell_index(ref))
            note = data.notes.get(at)
            look = data.looks.get(at, PLAIN)
            found[ref] = Annotation(note=note.text if note else None,
                                    author=note.author if note else "", fill=look.fill or "")
        return found

    @staticmethod
    def _shown(data: SheetData, at: tuple[int, int]) -> tuple[int, int]:
        """The cell a spreadsheet shows for ``at``: a merged range's top-left cell."""
        r, c = at
        for r0, c0, r1, c1 in data.merges:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return r0, c0
        return at

    # --- writing ---------------------------------------------------------------------------

    def add_sheet(self, name: str) -> None:
        if name in self.sheets:
            raise ValueError(f"sheet {name!r} exists")
        self.sheets[name] = SheetData()

    def clear_sheet(self, sheet: str) -> None:
        self._sheet(sheet)
        self.sheets[sheet] = SheetData()

    def move_sheet(self, sheet: str, after: str | None) -> None:
        data = self._sheet(sheet)
        if after is not None:
            self._sheet(after)
        order = [name for name in self.sheets if name != sheet]
        at = 0 if after is None else order.index(after) + 1
        order.insert(at, sheet)
        self.sheets = {name: (data if name == sheet else self.sheets[name]) for name in order}

    def activate(self, sheet: str) -> None:
        self._sheet(sheet).hidden = False  # a hidden sheet cannot be the one a book opens on
        self.active = sheet

    def define_names(self, names: Mapping[str, str]) -> None:
        self.names.update(names)

    def write_block(self, sheet: str, top_left: str, rows: Rows) -> None:
        data = self._sheet(sheet)
        r0, c0 = cell_index(top_left)
        values, looks = data.values, data.looks
        for r, row in enumerate(rows, start=r0):
            for c, value in enumerate(row, start=c0):
                values[r, c] = value
                if isinstance(value, date | time):
                    look = looks.get((r, c), PLAIN)
                    now = look.number_format
                    if isinstance(value, date):  # datetime too
                        wanted = now if is_date_format(now) and not (
                            now or "").startswith("yyyy-mm-dd") else DATE_FORMAT
                    else:
                        wanted = now if is_date_format(now) else "h:mm:ss"
                    if wanted != now:
                        looks[r, c] = look._replace(number_format=wanted)

    def write_annotations(self, sheet: str, annotations: Mapping[str, Annotation]) -> None:
        data = self._sheet(sheet)
        for ref, wanted in annotations.items():
            at = self._shown(data, cell_index(ref))
            if wanted.note is None:
                data.notes.pop(at, None)
            else:
                lines = wanted.note.count("\n") + 1
                size = ((320, min(400, max(160, 16 * lines + 24)))
                        if wanted.author == MARK_AUTHOR else _NOTE_SIZE)
                data.notes[at] = Note(wanted.note, wanted.author, size)
            look = data.looks.get(at, PLAIN)
            # Only plain solid fills exist in a workbook made here (``read_annotations``).
            fill = wanted.fill.upper() if len(wanted.fill) == 6 else None
            if look.fill != fill:
                data.looks[at] = look._replace(fill=fill)

    def format_sheet(self, sheet: str, fmt: SheetFormat) -> None:
        """Apply the looks to the cells now (later writes and reads see them); keep the rest
        of ``fmt`` for ``save``."""
        data = self._sheet(sheet)
        looks = data.looks
        for styled in fmt.styles:
            r0, c0, r1, c1 = range_index(styled.range)
            done: dict[Look, Look] = {}
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    before = looks.get((r, c), PLAIN)
                    after = done.get(before)
                    if after is None:
                        after = done[before] = _styled(before, styled.style)
                    looks[r, c] = after
        for merged in fmt.merges:
            self._merge(data, range_index(merged))
        for note in fmt.notes:
            data.notes[cell_index(note.cell)] = Note(note.text, MARK_AUTHOR, (320, 160))
        for link in fmt.links:
            at = cell_index(link.cell)
            data.links[at] = f"'{link.target_sheet}'!{link.target}"
            looks[at] = looks.get(at, PLAIN)._replace(
                font=(FONT_NAME, FONT_SIZE, False, False, "0563C1", True))
        if fmt.hidden:
            data.hidden = True
        data.formats.append(fmt)

    @staticmethod
    def _merge(data: SheetData, bounds: tuple[int, int, int, int]) -> None:
        """Merge as openpyxl does: the other cells lose their values; each edge cell takes
        the top-left cell's border on that edge; every cell takes its protection."""
        r0, c0, r1, c1 = bounds
        data.merges.append(bounds)
        looks = data.looks
        start = looks.get((r0, c0), PLAIN)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    data.values.pop((r, c), None)
        left, right, top, bottom = start.border
        edges = ((0, left, [(r, c0) for r in range(r0, r1 + 1)]),
                 (2, top, [(r0, c) for c in range(c0, c1 + 1)]),
                 (1, right, [(r, c1) for r in range(r0, r1 + 1)]),
                 (3, bottom, [(r1, c) for c in range(c0, c1 + 1)]))
        for index, side, cells in edges:
            if side is None:
                continue
            for at in cells:
                look = looks.get(at, PLAIN)
                border = list(look.border)
                border[index] = side
                looks[at] = look._replace(border=tuple(border))  # type: ignore[arg-type]
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                looks[r, c] = looks.get((r, c), PLAIN)._replace(locked=start.locked)

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the workbook to ``path`` atomically (the whole file, or nothing)."""
        package = self.package()
        atomic_write(self.path, lambda tmp: tmp.write_bytes(package))

    def package(self) -> bytes:
        """The .xlsx file's bytes."""
        import xlsxwriter

        buffer = io.BytesIO()
        # Every value is written by its type's own call (``write_string`` never makes a
        # formula, a number or a link of a text): no formula injection.
        book = xlsxwriter.Workbook(buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False, "max_url_length": 2079})
        book.set_properties({"author": "minga", "created": FIXED_TIME})
        writer = _Writer(book)
        sheet_class = _worksheet_class()  # a class per save: its cache of shapes too
        sheets = {name: book.add_worksheet(name, sheet_class) for name in self.sheets}
        for name, ref in self.names.items():
            book.define_name(name, ref)
        for name, data in self.sheets.items():
            writer.sheet(sheets[name], data)
        if self.active is not None:
            sheets[self.active].activate()
        else:  # as openpyxl: the first sheet is the one the book opens on
            first = next(iter(sheets.values()), None)
            if first is not None:
                first.activate()
        book.close()
        return buffer.getvalue()


#: A cell reference or a number in a formula: what differs between a column's formulas.
_REFERENCE = re.compile(r"\b\$?[A-Z]{1,3}\$?\d+\b|\d+")


def _worksheet_class() -> type:
    """XlsxWriter's worksheet, writing one ``<col>`` per column as openpyxl does, and
    preparing formulas once per shape.

    XlsxWriter joins neighbouring columns that look alike into one ``<col min max>``: valid,
    but openpyxl — which minga (``minga poblar``, ``validar --escribir``) and users' own
    scripts edit these workbooks with — sees only the first column of such a run, and a
    width set later on another of its columns would overlap the run.

    Before writing a formula XlsxWriter tries some thirty substitutions on it (``FILTER(`` →
    ``_xlfn._xlws.FILTER(``…), a fifth of the time it takes to write the workbook.  They
    replace function names only, never a cell reference or a number, so formulas that differ
    only in those (a column's formula, row after row) need them or not alike: they are tried
    once per shape, and a formula whose shape needs none is only stripped of its ``=``.

    Subclassing the worksheet is XlsxWriter's documented way to change how it writes.
    """
    from xlsxwriter.worksheet import Worksheet

    class MingaWorksheet(Worksheet):  # type: ignore[misc]
        plain_shapes: dict[str, bool] = {}  # noqa: RUF012 (shared by the workbook's sheets)

        def _write_cols(self) -> None:
            if not self.col_info:
                return
            self._xml_start_tag("cols")
            for col in sorted(self.col_info):
                self._write_col_info(col, col, self.col_info[col])
            self._xml_end_tag("cols")

        def _prepare_formula(self, formula: str, *args: Any, **kwargs: Any) -> str:
            prepare = super()._prepare_formula
            if args or kwargs or self.use_future_functions:
                return prepare(formula, *args, **kwargs)
            shape = _REFERENCE.sub("0", formula)
            plain = self.plain_shapes.get(shape)
            if plain is None:
                plain = self.plain_shapes[shape] = prepare(shape) == _stripped(shape)
            return _stripped(formula) if plain else prepare(formula)

    return MingaWorksheet


def _stripped(formula: str) -> str:
    """A formula without its ``=`` and array braces, as XlsxWriter writes it."""
    if formula.startswith("{"):
        formula = formula[1:]
    if formula.startswith("="):
        formula = formula[1:]
    return formula[:-1] if formula.endswith("}") else formula


class _Writer:
    """Turns looks and sheet formats into XlsxWriter calls; one ``Format`` per distinct look."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.formats: dict[Look, Any] = {PLAIN: book.formats[0]}  # XlsxWriter's style 0
        self.rule_formats: dict[Style, Any] = {}

    def cell_format(self, look: Look) -> Any:
        found = self.formats.get(look)
        if found is None:
            found = self.formats[look] = self.book.add_format(self._properties(look))
        return found

    @staticmethod
    def _properties(look: Look) -> dict[str, Any]:
        p: dict[str, Any] = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
        if look.font:
            name, size, bold, italic, color, underline = look.font
            p.update(font_name=name, font_size=size, bold=bold, italic=italic)
            if color:
                p["font_color"] = "#" + color
            if underline:
                p["underline"] = 1
        if look.fill:
            p.update(pattern=1, bg_color="#" + look.fill)
        for side, edge in zip(("left", "right", "top", "bottom"), look.border, strict=True):
            if edge:
                p[side] = _BORDER[edge[0]]
                p[f"{side}_color"] = "#" + edge[1]
        if look.align:
            h, v, wrap, rotation, indent = look.align
            if h:
                p["align"] = h
            if v:
                p["valign"] = _VALIGN[v]
            if wrap:
                p["text_wrap"] = True
            if rotation:
                p["rotation"] = rotation
            if indent:
                p["indent"] = indent
        if look.number_format and look.number_format != "General":
            p["num_format"] = look.number_format
        if look.locked is False:
            p["locked"] = False
        return p

    def rule_format(self, style: Style) -> Any:
        """A conditional format's look: fill, font weight and colour, border (no face or
        size: Excel allows none in a conditional format)."""
        found = self.rule_formats.get(style)
        if found is None:
            p: dict[str, Any] = {}
            if style.fill:
                # Both colours, as openpyxl writes a solid fill: whichever one a program
                # reads in a conditional format, it finds the colour.
                p.update(pattern=1, bg_color="#" + style.fill, fg_color="#" + style.fill)
            if style.bold:
                p["bold"] = True
            if style.italic:
                p["italic"] = True
            if style.font_color:
                p["font_color"] = "#" + style.font_color
            if style.border:
                p.update(border=_BORDER[style.border], border_color="#" + style.border_color)
            found = self.rule_formats[style] = self.book.add_format(p)
        return found

    def sheet(self, ws: Any, data: SheetData) -> None:
        fmt = _combined(data.formats)
        self._columns(ws, fmt)
        self._rows(ws, fmt)
        for table in fmt.tables:
            r0, c0, r1, c1 = range_index(table.range)
            headers = [str(data.values.get((r0, c), "") or f"Column{c - c0 + 1}")
                       for c in range(c0, c1 + 1)]
            ws.add_table(r0, c0, r1, c1, {
                "name": table.name, "style": table.style,
                "columns": [{"header": h} for h in headers]})
        for r0, c0, r1, c1 in data.merges:
            ws.merge_range(r0, c0, r1, c1, None, self.cell_format(
                data.looks.get((r0, c0), PLAIN)))
        self._cells(ws, data)
        for (r, c), note in data.notes.items():
            ws.write_comment(r, c, note.text, {"author": note.author, "width": note.size[0],
                                               "height": note.size[1]})
        for validation in fmt.validations:
            self._validation(ws, validation)
        # Data bars first: LibreOffice draws a bar only if no earlier rule styled the cell.
        for bar in fmt.data_bars:
            r0, c0, r1, c1 = range_index(bar.range)
            ws.conditional_format(r0, c0, r1, c1, {
                "type": "data_bar", "min_type": "num", "min_value": bar.minimum,
                "max_type": "num", "max_value": bar.maximum, "bar_color": "#" + bar.color,
                "data_bar_2010": False})
        for rule in fmt.conditional:
            self._rule(ws, rule)
        if fmt.freeze:
            ws.freeze_panes(fmt.freeze)
        self._print(ws, fmt)
        if fmt.tab_color:
            ws.set_tab_color("#" + fmt.tab_color)
        if data.hidden:
            ws.hide()
        if not fmt.gridlines:
            ws.hide_gridlines(2)
        if fmt.zoom:
            ws.set_zoom(fmt.zoom)
        if fmt.protect:
            # Resizing and formatting stay allowed, and notes editable: protection guards
            # formulas, not looks (as ``OpenpyxlBackend``).
            ws.protect("", {"objects": True, "scenarios": True, "format_cells": True,
                            "format_columns": True, "format_rows": True})

    def _columns(self, ws: Any, fmt: SheetFormat) -> None:
        letters = (fmt.column_widths.keys() | fmt.column_formats.keys()
                   | fmt.column_styles.keys() | set(fmt.hidden_columns))
        for letter in sorted(letters, key=column_index):
            col = column_index(letter)
            look = PLAIN
            style = fmt.column_styles.get(letter)
            if letter in fmt.column_formats:
                look = look._replace(number_format=fmt.column_formats[letter])
            if style is not None:
                look = Look(font=_font(style), fill=style.fill.upper() if style.fill else None,
                            align=(style.h_align, style.v_align, style.wrap, style.rotation,
                                   style.indent),
                            number_format=style.number_format or look.number_format,
                            locked=style.locked)
            width = fmt.column_widths.get(letter)
            # In pixels, so the file says the width asked for (as openpyxl writes it):
            # XlsxWriter's character widths add Excel's padding of five pixels.
            pixels = None if width is None else round(width * 256) * 7 / 256
            ws.set_column_pixels(col, col, pixels,
                                 None if look == PLAIN else self.cell_format(look),
                                 {"hidden": True} if letter in fmt.hidden_columns else None)

    @staticmethod
    def _rows(ws: Any, fmt: SheetFormat) -> None:
        for row in sorted(fmt.row_heights.keys() | set(fmt.hidden_rows)):
            height = fmt.row_heights.get(row)
            ws.set_row_pixels(row - 1, None if height is None else height * 4 / 3, None,
                              {"hidden": True} if row in fmt.hidden_rows else None)

    def _cells(self, ws: Any, data: SheetData) -> None:
        values, looks, links = data.values, data.looks, data.links
        plain = self.formats[PLAIN]
        for at in sorted(values.keys() | looks.keys()):
            r, c = at
            value = values.get(at)
            look = self.cell_format(looks.get(at, PLAIN))
            if at in links:
                ws.write_url(r, c, "internal:" + links[at], look,
                             "" if value is None else str(value))
            elif value is None or value == "":
                if look is not plain:  # as openpyxl: a blank cell without a style is left out
                    ws.write_blank(r, c, None, look)
            elif isinstance(value, Formula):
                # No cached result, as openpyxl writes formulas: every program computes it
                # on opening (the workbook asks for a full calculation on load).
                ws.write_formula(r, c, value.text, look, "")
            elif isinstance(value, str):
                ws.write_string(r, c, value, look)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, look)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value, look)
            elif isinstance(value, date | time):
                ws.write_datetime(r, c, value, look)
            else:
                ws.write_string(r, c, str(value), look)

    @staticmethod
    def _validation(ws: Any, v: Validation) -> None:
        parts = v.range.split()  # "D10:E10 D12:E14": several ranges, one validation
        r0, c0, r1, c1 = range_index(parts[0])
        options: dict[str, Any] = {"validate": _KIND[v.kind], "ignore_blank": True}
        if v.kind == "list":
            options["source"] = v.source or ""
        else:
            def as_formula(x: float | date | None) -> str | float | None:
                if isinstance(x, date):
                    return f"=DATE({x.year},{x.month},{x.day})"
                return x

            options.update(criteria="between", minimum=as_formula(v.minimum),
                           maximum=as_formula(v.maximum))
        options.update(show_error=True, error_type="stop",
                       error_title=(v.title or "Valor no válido")[:32],
                       error_message=(v.error or "El valor no es válido para esta columna.")
                       [:255])
        if v.prompt:
            options.update(show_input=True, input_title=(v.title or "")[:32],
                           input_message=v.prompt[:255])
        else:
            options["show_input"] = False
        if len(parts) > 1:
            options["multi_range"] = " ".join(parts)
        ws.data_validation(r0, c0, r1, c1, options)

    def _rule(self, ws: Any, rule: ConditionalRule) -> None:
        parts = rule.range.split()
        r0, c0, r1, c1 = range_index(parts[0])
        options: dict[str, Any] = {"type": "formula", "criteria": rule.formula,
                                   "format": self.rule_format(rule.style),
                                   "stop_if_true": rule.stop}
        if len(parts) > 1:
            options["multi_range"] = " ".join(parts)
        ws.conditional_format(r0, c0, r1, c1, options)

    @staticmethod
    def _print(ws: Any, fmt: SheetFormat) -> None:
        # openpyxl's page margins, which every sheet of a minga workbook had.
        ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)
        header, footer = "", ""
        ps = fmt.print_setup
        if ps is not None:
            if ps.landscape:
                ws.set_landscape()
            else:
                ws.set_portrait()
            ws.set_paper(_PAPER[ps.paper])
            if ps.fit_width or ps.fit_height:
                ws.fit_to_pages(ps.pages_wide if ps.fit_width else 0, int(ps.fit_height))
            if ps.repeat_rows:
                first, _, last = ps.repeat_rows.replace("$", "").partition(":")
                ws.repeat_rows(int(first) - 1, int(last or first) - 1)
            if ps.repeat_columns:
                first, _, last = ps.repeat_columns.replace("$", "").partition(":")
                ws.repeat_columns(column_index(first), column_index(last or first))
            if ps.column_breaks:
                ws.set_v_pagebreaks(list(ps.column_breaks))
            ws.center_horizontally()
            ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
            if ps.title:
                header = "&C" + ps.title.replace("&", "&&")
            footer = "&RPágina &P de &N"
        ws.set_header(header, margin=0.5)
        ws.set_footer(footer, margin=0.5)


def _combined(formats: Sequence[SheetFormat]) -> SheetFormat:
    """The formats given to one sheet, as one: later values win, lists add up."""
    if len(formats) == 1:
        return formats[0]
    total = SheetFormat()
    for fmt in formats:
        total.column_widths.update(fmt.column_widths)
        total.column_formats.update(fmt.column_formats)
        total.column_styles.update(fmt.column_styles)
        total.row_heights.update(fmt.row_heights)
        total.hidden_rows += fmt.hidden_rows
        total.hidden_columns += fmt.hidden_columns
        total.validations += fmt.validations
        total.conditional += fmt.conditional
        total.data_bars += fmt.data_bars
        total.tables += fmt.tables
        total.freeze = fmt.freeze or total.freeze
        total.print_setup = fmt.print_setup or total.print_setup
        total.tab_color = fmt.tab_color or total.tab_color
        total.gridlines = fmt.gridlines
        total.zoom = fmt.zoom or total.zoom
        total.protect = total.protect or fmt.protect
    return total
