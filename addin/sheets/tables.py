"""The list sheets (an Excel table per layout) and the Programa form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from addin.backends.base import (
    CellValue,
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
from addin.sheets.palette import DARK, HEADER_TEXT, HELP, TITLE
from addin.sheets.plans import CAPACITY, ListRegistry, SheetPlan, cell, workbook_name


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


def title_rows(plan: SheetPlan, layout: SheetLayout, lang: Lang, width: int) -> None:
    last = column_letter(max(width, 1) - 1)
    plan.put(1, 1, layout.title(lang))
    plan.put(2, 1, layout.help_es if lang == "es" else "")
    plan.fmt.styles += [
        Styled(f"A1:{last}1", Style(bold=True, size=15, font_color=TITLE)),
        Styled(f"A2:{last}2", Style(italic=True, font_color=HELP, wrap=True, v_align="top")),
    ]
    plan.fmt.merges += [f"A1:{last}1", f"A2:{last}2"]
    plan.fmt.row_heights.update({1: 24, 2: 30})


def table_sheet(layout: SheetLayout, definition: ProgrammeDefinition, lists: ListRegistry,
                lang: Lang, prefill: Sequence[dict[str, CellValue]] = ()) -> SheetPlan:
    """A list sheet: title, help, an Excel table with dropdowns, formats and formulas."""
    plan = SheetPlan(layout.name(lang))
    ncols = len(layout.columns)
    last = column_letter(ncols - 1)
    header = layout.header_row
    title_rows(plan, layout, lang, ncols)
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
    fmt.styles.append(Styled(f"A{header}:{last}{header}",
                             Style(bold=True, wrap=True, v_align="center")))
    fmt.row_heights[header] = 32
    for c, column in enumerate(layout.columns):
        letter = column_letter(c)
        fmt.column_widths[letter] = column.width
        number_format = column.effective_format
        if number_format and column.type is not ColumnType.TEXT:
            fmt.column_formats[letter] = number_format
            fmt.styles.append(Styled(f"{letter}{first_data}:{letter}{end}",
                                     Style(number_format=number_format)))
        target = f"{letter}{first_data}:{letter}{last_data}"
        validation = _validation(column, target, definition, lists, lang)
        if validation:
            fmt.validations.append(validation)
        if column.required:
            fmt.notes.append(Note(f"{letter}{header}", "Obligatorio." + (
                f" {column.help_es}" if column.help_es else "")))
    fmt.freeze = f"B{first_data}"
    fmt.print_setup = PrintSetup(repeat_rows=f"{header}:{header}", title=layout.title(lang))
    fmt.tab_color = layout.tab_color
    return plan


def programa_sheet(definition: ProgrammeDefinition, lists: ListRegistry,
                   lang: Lang) -> tuple[SheetPlan, dict[str, str]]:
    """The form of programme parameters; returns the plan and the workbook names it defines."""
    layout = PROGRAMA
    plan = SheetPlan(layout.name(lang))
    title_rows(plan, layout, lang, 3)
    header = layout.header_row
    heads = ("Parámetro", "Valor", "Ayuda") if lang == "es" else ("Field", "Value", "Help")
    for c, text in enumerate(heads, start=1):
        plan.put(header, c, text)
    cal = definition.calendar
    start = workbook_name("inicio")
    computed = {
        "programa": definition.id,
        "tipo_convenio": definition.convenio_label,
        "termino": Formula(f'=IF({start}="","",EDATE({start},{cal.total_months})-1)'),
        "inicio_ejecucion": Formula(f'=IF({start}="","",EDATE({start},{cal.start_months}))'),
        "termino_ejecucion": Formula(
            f'=IF({start}="","",EDATE({start},{cal.start_months + cal.execution_months})-1)'),
    }
    names: dict[str, str] = {}
    sheet_ref = f"'{plan.name}'" if " " in plan.name else plan.name
    fmt = plan.fmt
    for i, column in enumerate(layout.columns):
        r = header + 1 + i
        plan.put(r, 1, column.header(lang))
        plan.put(r, 2, computed.get(column.key))
        help_text = ("Obligatorio. " if column.required else "") + column.help_es
        plan.put(r, 3, help_text.strip())
        names[workbook_name(column.key)] = f"{sheet_ref}!$B${r}"
        if column.effective_format and column.type is not ColumnType.TEXT:
            fmt.styles.append(Styled(f"B{r}", Style(number_format=column.effective_format,
                                                    h_align="left")))
        validation = _validation(column, f"B{r}", definition, lists, lang)
        if validation and column.key not in computed:
            fmt.validations.append(validation)
        style = Style(bold=column.required, border="thin")
        fmt.styles.append(Styled(f"A{r}", style))
        fill = "F2F2F2" if column.key in computed else "FFF2CC"
        fmt.styles.append(Styled(f"B{r}", Style(fill=fill, border="thin", h_align="left",
                                                number_format=column.effective_format)))
        fmt.styles.append(Styled(f"C{r}", Style(italic=True, font_color=HELP, wrap=True)))
    fmt.styles.append(Styled(f"A{header}:C{header}", Style(
        bold=True, fill=DARK, font_color=HEADER_TEXT, border="thin")))
    fmt.column_widths.update({"A": 44, "B": 40, "C": 60})
    fmt.freeze = f"A{header + 1}"
    fmt.print_setup = PrintSetup(landscape=False, title=layout.title(lang))
    fmt.tab_color = layout.tab_color
    return plan, names
