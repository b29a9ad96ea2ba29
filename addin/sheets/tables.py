"""The list sheets (an Excel table per layout) and the Programa form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from addin.backends.base import (
    FONT_SIZE,
    CellValue,
    ConditionalRule,
    DataBar,
    Formula,
    Note,
    PrintSetup,
    Style,
    Styled,
    Table,
    Validation,
)
from addin.domain.programme import ProgrammeDefinition
from addin.domain.wording import number
from addin.layouts.ecomercado import PROGRAMA
from addin.layouts.model import (
    Column,
    ColumnType,
    Lang,
    SheetLayout,
    column_letter,
    resolve_choices,
)
from addin.sheets.palette import (
    DARK,
    DATA_BAR,
    GRID,
    HEADER_TEXT,
    HELP,
    OVERDUE,
    OVERDUE_TEXT,
    STATUS_FILLS,
    TITLE,
)
from addin.sheets.plans import (
    CAPACITY,
    POINTS_PER_UNIT,
    ListRegistry,
    SheetPlan,
    cell,
    row_points,
    text_lines,
    width_for,
    workbook_name,
)


def _validation(column: Column, target: str, definition: ProgrammeDefinition,
                lists: ListRegistry, lang: Lang) -> Validation | None:
    """The data validation that helps users type a valid value into ``column``."""
    label = column.header(lang)
    if column.has_list:
        values = resolve_choices(column, definition)
        if not values:
            return None
        return Validation(target, "list", source=lists.ref(column.es, values), title=label[:32],
                          error=f"Elija un valor de la lista de «{label}».",
                          prompt=column.help_es)
    if column.bounds:
        low, high = column.bounds
        kind = "whole" if column.type is ColumnType.INTEGER else "decimal"
        shown = (f"{number(low * 100)}% y {number(high * 100)}%"
                 if column.type is ColumnType.PERCENT else f"{number(low)} y {number(high)}")
        return Validation(target, kind, minimum=low, maximum=high, title=label[:32],
                          error=f"«{label}» debe ser un número entre {shown}.",
                          prompt=column.help_es)
    if column.type is ColumnType.DATE:
        return Validation(target, "date", minimum=date(1990, 1, 1), maximum=date(2199, 12, 31),
                          title=label[:32],
                          error=f"«{label}» debe ser una fecha (día-mes-año).",
                          prompt=column.help_es)
    return None


def column_formula(column: Column, layout: SheetLayout, row: int) -> Formula:
    refs = {c.key: cell(layout.index(c.key), row) for c in layout.columns}
    return Formula((column.formula or "").format(row=row, **refs))


def title_rows(plan: SheetPlan, layout: SheetLayout, lang: Lang,
               help_width: Sequence[float] = ()) -> None:
    """Title and help on rows 1–2.

    The title runs over the empty cells to its right; the help wraps inside the columns of
    ``help_width`` (those of the first printed page), so no text runs across a page break —
    it would print cut, and overlap what the next page repeats.
    """
    plan.put(1, 1, layout.title(lang))
    help_text = layout.help_es if lang == "es" else ""
    plan.put(2, 1, help_text)
    plan.fmt.styles += [
        Styled("A1", Style(bold=True, size=15, font_color=TITLE)),
        Styled("A2", Style(italic=True, font_color=HELP, wrap=True, v_align="top")),
    ]
    lines = 1
    if help_width:
        plan.fmt.merges.append(f"A2:{column_letter(len(help_width) - 1)}2")
        # minga rewrites the help of its output sheets with a longer summary.
        lines = max(text_lines(help_text, sum(help_width), FONT_SIZE),
                    2 if layout.output_only else 1)
    plan.fmt.row_heights.update({1: 24, 2: row_points(lines, FONT_SIZE) + 3})


#: Types whose values are short: centred, so they never touch the next column's text.
_CENTRED = (ColumnType.DATE, ColumnType.INTEGER, ColumnType.PERCENT, ColumnType.BOOL)
#: Printed tables shrink to fit their pages wide; below this they are split across pages.
MIN_PRINT_SCALE = 0.75
#: Letter landscape, 0.4" side margins, in points.
PRINT_WIDTH = (11 - 0.8) * 72


def column_width(column: Column, lang: Lang) -> float:
    """The layout's width, widened so no word of the header is split (bold, 11 pt)."""
    words = column.header(lang).split()
    return max([column.width, *(width_for(w, FONT_SIZE, bold=True) for w in words)])


def column_style(column: Column) -> Style:
    """How a data cell of ``column`` looks: text wraps from the top; short values centred."""
    if column.type in _CENTRED or (column.type is ColumnType.CHOICE and column.width <= 15):
        align = "center"
    elif column.type in (ColumnType.MONEY, ColumnType.DECIMAL):
        align = "right"
    else:
        align = "left"
    number_format = column.effective_format if column.type is not ColumnType.TEXT else None
    return Style(wrap=True, v_align="top", h_align=align, number_format=number_format)


def pages_wide(widths: Sequence[float], repeated: int) -> tuple[int, int]:
    """Pages a table needs across to print at ``MIN_PRINT_SCALE`` or larger, and how many of
    its columns the first page holds (the application breaks pages the same way)."""
    total, title = sum(widths), sum(widths[:repeated])
    pages = 1
    while (total + (pages - 1) * title) * POINTS_PER_UNIT * MIN_PRINT_SCALE > (
            pages * PRINT_WIDTH):
        pages += 1
    room = (total + (pages - 1) * title) / pages
    used, first = 0.0, 0
    while first < len(widths) and used + widths[first] <= room + 0.01:
        used += widths[first]
        first += 1
    return pages, max(first, repeated)


def table_sheet(layout: SheetLayout, definition: ProgrammeDefinition, lists: ListRegistry,
                lang: Lang, prefill: Sequence[dict[str, CellValue]] = ()) -> SheetPlan:
    """A list sheet: title, help, an Excel table with dropdowns, formats and formulas.

    Headers are sized to their text; data cells wrap and align by type, and rows written
    here are as tall as their text.  Output-only columns (formulas, the Validación sheet)
    get no dropdown.  Seguimiento-style layouts colour rows by status and highlight the
    overdue ones; percentages get a data bar; ``layout.totals`` adds a total row above.
    """
    plan = SheetPlan(layout.name(lang))
    ncols = len(layout.columns)
    last = column_letter(ncols - 1)
    header = layout.header_row
    widths = [column_width(c, lang) for c in layout.columns]
    repeated = 2
    pages, first_page = pages_wide(widths, repeated)
    help_columns = first_page
    if layout.totals:  # the help text stops before the totals' label
        help_columns = min(first_page, min(layout.index(k) for k in layout.totals) - 1)
    title_rows(plan, layout, lang, widths[:help_columns])
    rows = list(prefill) or [{}]
    for c, column in enumerate(layout.columns, start=1):
        plan.put(header, c, column.header(lang))
        for i, values in enumerate(rows):
            r = header + 1 + i
            if column.formula and column.key not in values:
                plan.put(r, c, column_formula(column, layout, r))
            else:
                plan.put(r, c, values.get(column.key))
    end = header + len(rows)
    first_data, last_data = header + 1, header + CAPACITY
    fmt = plan.fmt
    fmt.tables.append(Table(layout.table_name or layout.key, f"A{header}:{last}{end}"))
    fmt.styles.append(Styled(f"A{header}:{last}{header}", Style(
        bold=True, wrap=True, v_align="center", h_align="center", fill=DARK,
        font_color=HEADER_TEXT, border="thin")))
    fmt.row_heights[header] = max(row_points(text_lines(c.header(lang), w, FONT_SIZE,
                                                        bold=True), FONT_SIZE)
                                  for c, w in zip(layout.columns, widths, strict=True)) + 4
    heights = [1] * len(rows)
    for c, column in enumerate(layout.columns):
        letter = column_letter(c)
        fmt.column_widths[letter] = widths[c]
        style = column_style(column)
        fmt.column_styles[letter] = style
        fmt.styles.append(Styled(f"{letter}{first_data}:{letter}{end}",
                                 replace(style, border="thin", border_color=GRID)))
        if column.type in (ColumnType.TEXT, ColumnType.CHOICE):
            for i, values in enumerate(rows):
                heights[i] = max(heights[i], text_lines(values.get(column.key), widths[c],
                                                        FONT_SIZE))
        if column.type is ColumnType.PERCENT:
            fmt.data_bars.append(DataBar(f"{letter}{first_data}:{letter}{last_data}",
                                         DATA_BAR))
        if layout.output_only or column.formula:
            continue
        target = f"{letter}{first_data}:{letter}{last_data}"
        validation = _validation(column, target, definition, lists, lang)
        if validation:
            fmt.validations.append(validation)
        if column.required:
            fmt.notes.append(Note(f"{letter}{header}", "Obligatorio." + (
                f" {column.help_es}" if column.help_es else "")))
    for i, lines in enumerate(heights):
        if lines > 1:
            fmt.row_heights[first_data + i] = row_points(lines, FONT_SIZE)
    fmt.conditional += _row_rules(layout, f"A{first_data}:{last}{last_data}", first_data)
    if layout.totals:
        _totals(plan, layout, first_data, last_data)
    fmt.freeze = f"B{first_data}"
    fmt.print_setup = PrintSetup(
        repeat_rows=f"{header}:{header}", title=layout.title(lang), pages_wide=pages,
        repeat_columns=f"A:{column_letter(repeated - 1)}" if pages > 1 else None)
    fmt.tab_color = layout.tab_color
    return plan


def _row_rules(layout: SheetLayout, rows: str, first: int) -> list[ConditionalRule]:
    """Live row colours: overdue rows first, then the fill of the row's status."""
    if not layout.row_status:
        return []
    status = f"${column_letter(layout.index(layout.row_status))}{first}"
    rules = []
    if layout.row_due:
        due = f"${column_letter(layout.index(layout.row_due))}{first}"
        cutoff = f'IF({workbook_name("fecha_corte")}="",TODAY(),{workbook_name("fecha_corte")})'
        closed = ",".join(f'{status}<>"{s}"' for s in layout.closed_statuses)
        rules.append(ConditionalRule(rows, f"=AND(ISNUMBER({due}),{due}<{cutoff},{closed})",
                                     Style(fill=OVERDUE, font_color=OVERDUE_TEXT)))
    rules += [ConditionalRule(rows, f'={status}="{value}"', Style(fill=fill))
              for value, fill in STATUS_FILLS.items()]
    return rules


def _totals(plan: SheetPlan, layout: SheetLayout, first: int, last: int) -> None:
    """Totals on row 2, above their columns and beside the help text: the sums of the visible
    (filtered) rows, live, and always in view (the rows above the header are frozen)."""
    row = 2
    keys = [layout.index(k) for k in layout.totals]
    label = min(keys) - 1
    plan.put(row, label + 1, "Total:")
    plan.fmt.styles.append(Styled(cell(label, row), Style(bold=True, h_align="right",
                                                          v_align="bottom")))
    for c in keys:
        letter = column_letter(c)
        plan.put(row, c + 1, Formula(f"=SUBTOTAL(109,{letter}{first}:{letter}{last})"))
        plan.fmt.styles.append(Styled(cell(c, row), Style(
            bold=True, border="medium", border_color=DARK, h_align="right", v_align="bottom",
            number_format=layout.columns[c].effective_format)))
    plan.fmt.notes.append(Note(cell(label, row), "Suma de las filas visibles: si filtra la "
                                                 "tabla, suma sólo lo que se ve."))


def _computed_fields(definition: ProgrammeDefinition) -> dict[str, CellValue]:
    """Programa fields minga fills and users do not type: the programme, its calendar."""
    start = workbook_name("inicio")
    computed: dict[str, CellValue] = {"programa": definition.id}
    if definition.convenio_label:
        computed["tipo_convenio"] = definition.convenio_label
    cal = definition.calendar
    if cal is not None:
        computed |= {
            "termino": Formula(f'=IF({start}="","",EDATE({start},{cal.total_months})-1)'),
            "inicio_ejecucion": Formula(
                f'=IF({start}="","",EDATE({start},{cal.start_months}))'),
            "termino_ejecucion": Formula(
                f'=IF({start}="","",EDATE({start},{cal.start_months + cal.execution_months})'
                '-1)'),
        }
    return computed


def programa_sheet(definition: ProgrammeDefinition, lists: ListRegistry,
                   lang: Lang, layout: SheetLayout = PROGRAMA,
                   defaults: Mapping[str, CellValue] | None = None
                   ) -> tuple[SheetPlan, dict[str, str]]:
    """The form of programme parameters; returns the plan and the workbook names it defines.

    ``layout`` is the programme's own form (each kind of workbook has one); ``defaults`` are
    first values users may change (the announced day of an assembly, its reach).
    """
    plan = SheetPlan(layout.name(lang))
    title_rows(plan, layout, lang, (44, 40, 60))
    header = layout.header_row
    heads = ("Parámetro", "Valor", "Ayuda") if lang == "es" else ("Field", "Value", "Help")
    for c, text in enumerate(heads, start=1):
        plan.put(header, c, text)
    keys = {c.key for c in layout.columns}
    computed = {k: v for k, v in _computed_fields(definition).items() if k in keys}
    defaults = defaults or {}
    names: dict[str, str] = {}
    sheet_ref = f"'{plan.name}'" if " " in plan.name else plan.name
    fmt = plan.fmt
    for i, column in enumerate(layout.columns):
        r = header + 1 + i
        plan.put(r, 1, column.header(lang))
        plan.put(r, 2, computed.get(column.key, defaults.get(column.key)))
        help_text = ("Obligatorio. " if column.required else "") + column.help_es
        plan.put(r, 3, help_text.strip())
        names[workbook_name(column.key)] = f"{sheet_ref}!$B${r}"
        validation = _validation(column, f"B{r}", definition, lists, lang)
        if validation and column.key not in computed:
            fmt.validations.append(validation)
        style = Style(bold=column.required, border="thin", wrap=True, v_align="top")
        fmt.styles.append(Styled(f"A{r}", style))
        fill = "F2F2F2" if column.key in computed else "FFF2CC"
        fmt.styles.append(Styled(f"B{r}", Style(fill=fill, border="thin", h_align="left",
                                                v_align="top", wrap=True,
                                                number_format=column.effective_format)))
        fmt.styles.append(Styled(f"C{r}", Style(italic=True, font_color=HELP, wrap=True,
                                                v_align="top")))
        value = computed.get(column.key, defaults.get(column.key))
        lines = max(text_lines(column.header(lang), 44, FONT_SIZE, bold=column.required),
                    text_lines(help_text, 60, FONT_SIZE),
                    text_lines(value, 40, FONT_SIZE) if isinstance(value, str) else 1)
        if lines > 1:
            fmt.row_heights[r] = row_points(lines, FONT_SIZE)
    fmt.styles.append(Styled(f"A{header}:C{header}", Style(
        bold=True, fill=DARK, font_color=HEADER_TEXT, border="thin")))
    fmt.column_widths.update({"A": 44, "B": 40, "C": 60})
    fmt.freeze = f"A{header + 1}"
    fmt.print_setup = PrintSetup(title=layout.title(lang))
    fmt.tab_color = layout.tab_color
    return plan, names
