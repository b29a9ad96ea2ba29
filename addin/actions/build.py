"""Build the programme workbook from the sheet layouts and the programme definition.

Everything is described with the backend vocabulary (values, ``SheetFormat``) and handed to a
backend in bulk: one block write and one format call per sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from addin.actions.identity import embed_programme
from addin.actions.populate import populate_gantt, write_form_values
from addin.backends.base import (
    Backend,
    CellValue,
    ConditionalRule,
    Formula,
    Note,
    PrintSetup,
    SheetFormat,
    Style,
    Styled,
    Table,
    Validation,
)
from addin.backends.openpyxl_backend import OpenpyxlBackend
from addin.domain.programme import PHASE_LABELS, ActivityKind, Phase, ProgrammeDefinition
from addin.domain.schedule import describe_window
from addin.domain.wording import number
from addin.fileio import check_writable
from addin.layouts.ecomercado import (
    ECOMERCADO_LAYOUTS,
    GANTT,
    INFORMES,
    LISTS_SHEET,
    PROGRAMA,
)
from addin.layouts.model import (
    Column,
    ColumnType,
    Lang,
    SheetLayout,
    column_letter,
    resolve_choices,
)

#: Rows below the header that get dropdowns and formats, so rows users add are covered too.
CAPACITY = 2000

# Palette (RRGGBB).
DARK = "1F4E79"
HEADER_TEXT = "FFFFFF"
TITLE = "1F4E79"
HELP = "595959"
LIGHT = "DDEBF7"
STAGE_BAR = "1F4E79"
BAR = "9DC3E6"
PROGRESS = "2E75B6"
MILESTONE = "FFC000"
MARKER = "F4B6B6"
MARKER_HEADER = "C00000"
PHASE_FILL = {Phase.START: "A9D08E", Phase.EXECUTION: "9BC2E6", Phase.CLOSING: "F4B183"}

#: Workbook names for the Programa fields other sheets refer to.
NAME_PREFIX = "minga_"


@dataclass
class SheetPlan:
    """What one sheet will hold: a block of values from A1 and its formatting."""

    name: str
    rows: list[list[CellValue]] = field(default_factory=list)
    fmt: SheetFormat = field(default_factory=SheetFormat)

    def put(self, row: int, col: int, value: CellValue) -> None:
        """Set a value at 1-based ``row``/``col`` in the block (growing it as needed)."""
        while len(self.rows) < row:
            self.rows.append([])
        line = self.rows[row - 1]
        while len(line) < col:
            line.append(None)
        line[col - 1] = value


def cell(col: int, row: int, absolute: str = "") -> str:
    """A1 reference from a 0-based column and 1-based row; ``absolute`` "c", "r" or "cr"."""
    c = ("$" if "c" in absolute else "") + column_letter(col)
    r = ("$" if "r" in absolute else "") + str(row)
    return c + r


class ListRegistry:
    """The hidden «Listas» sheet: one column per dropdown list, referenced by range."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, ...], str] = {}  # values → list title

    def ref(self, title: str, values: Sequence[str]) -> str:
        """The range of a list with these values (lists with equal values are shared)."""
        values = tuple(values)
        self.lists.setdefault(values, title)
        letter = column_letter(list(self.lists).index(values))
        return f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"

    def plan(self) -> SheetPlan:
        plan = SheetPlan(LISTS_SHEET)
        for c, (values, title) in enumerate(self.lists.items(), start=1):
            plan.put(1, c, title)
            for r, value in enumerate(values, start=2):
                plan.put(r, c, value)
            plan.fmt.column_widths[column_letter(c - 1)] = 30
        plan.fmt.hidden = True
        return plan


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


def _formula(column: Column, layout: SheetLayout, row: int) -> Formula:
    refs = {c.key: cell(layout.index(c.key), row) for c in layout.columns}
    return Formula((column.formula or "").format(row=row, **refs))


def _title_rows(plan: SheetPlan, layout: SheetLayout, lang: Lang, width: int) -> None:
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
    _title_rows(plan, layout, lang, ncols)
    rows = list(prefill) or [{}]
    for c, column in enumerate(layout.columns, start=1):
        plan.put(header, c, column.header(lang))
        for i, values in enumerate(rows):
            r = header + 1 + i
            if column.formula and column.key not in values:
                plan.put(r, c, _formula(column, layout, r))
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


def _name(key: str) -> str:
    return NAME_PREFIX + key


def programa_sheet(definition: ProgrammeDefinition, lists: ListRegistry,
                   lang: Lang) -> tuple[SheetPlan, dict[str, str]]:
    """The form of programme parameters; returns the plan and the workbook names it defines."""
    layout = PROGRAMA
    plan = SheetPlan(layout.name(lang))
    _title_rows(plan, layout, lang, 3)
    header = layout.header_row
    heads = ("Parámetro", "Valor", "Ayuda") if lang == "es" else ("Field", "Value", "Help")
    for c, text in enumerate(heads, start=1):
        plan.put(header, c, text)
    cal = definition.calendar
    start = _name("inicio")
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
        names[_name(column.key)] = f"{sheet_ref}!$B${r}"
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


# --- the carta Gantt -----------------------------------------------------------------------

PHASE_ROW, MONTH_ROW, MONTH_DATE_ROW, WEEK_END_ROW = 5, 6, 7, 8
START_CELL = "$D$3"  # the convenio's start date as the Gantt sees it
REFERENCE_CELL = "$D$4"  # the cut-off date, or today


@dataclass(frozen=True)
class GanttGeometry:
    """Where things are on the Gantt sheet, shared by the builder and by tests."""

    left: int  # number of left-block columns (before the weeks)
    weeks: int
    header_row: int
    first_row: int
    last_row: int

    @property
    def first_week_col(self) -> int:  # 0-based
        return self.left

    @property
    def last_week_col(self) -> int:
        return self.left + self.weeks - 1

    def week_range(self, first_row: int, last_row: int) -> str:
        return (f"{column_letter(self.first_week_col)}{first_row}:"
                f"{column_letter(self.last_week_col)}{last_row}")


def gantt_sheet(definition: ProgrammeDefinition, lang: Lang) -> tuple[SheetPlan, GanttGeometry]:
    layout = GANTT
    cal = definition.calendar
    plan = SheetPlan(layout.name(lang))
    left = len(layout.columns)
    header = layout.header_row
    col = {c.key: layout.index(c.key) for c in layout.columns}
    letter = {k: column_letter(v) for k, v in col.items()}
    nrows = sum(1 + len(s.activities) for s in definition.stages)
    geo = GanttGeometry(left, cal.total_weeks, header, header + 1, header + nrows)
    fmt = plan.fmt

    # Title block.
    plan.put(1, 1, layout.title(lang))
    plan.put(2, 1, Formula(f'="{definition.name}"&IF({_name("ejecutor")}="","",'
                           f'" · Ejecutor: "&{_name("ejecutor")})&IF({_name("comuna")}="","",'
                           f'" · Comuna: "&{_name("comuna")})'))
    plan.put(3, 1, "Inicio del convenio:")
    plan.put(3, col["inicio"] + 1, Formula(f'=IF({_name("inicio")}="","",{_name("inicio")})'))
    plan.put(4, 1, "Fecha de corte (vacía: hoy):")
    plan.put(4, col["inicio"] + 1, Formula(
        f'=IF({_name("fecha_corte")}="",TODAY(),{_name("fecha_corte")})'))
    fmt.merges += ["A1:H1", "A2:H2", "A3:C3", "A4:C4"]
    fmt.styles += [
        Styled("A1:H1", Style(bold=True, size=16, font_color=TITLE)),
        Styled("A2:H2", Style(italic=True, font_color=HELP)),
        Styled("A3:C4", Style(bold=True, h_align="right")),
        Styled("D3:E4", Style(number_format="dd-mm-yyyy", bold=True, h_align="left")),
    ]
    # Legend, to the right of the title.
    legend = [(BAR, "Planificado"), (PROGRESS, "Avance (% realizado)"),
              (STAGE_BAR, "Etapa"), (MILESTONE, "Informe / hito"),
              (MARKER_HEADER, "Semana de la fecha de corte")]
    for i, (colour, text) in enumerate(legend):
        c = geo.first_week_col + i * 8
        plan.put(3, c + 2, text)
        fmt.styles.append(Styled(cell(c, 3), Style(fill=colour, border="thin")))

    # Calendar header: phases, months, month dates, week ends (hidden), week starts.
    weeks_per_month = cal.weeks_per_month
    for month in range(1, cal.total_months + 1):
        c0 = geo.first_week_col + (month - 1) * weeks_per_month
        c1 = c0 + weeks_per_month - 1
        phase = cal.phase_of(month)
        in_phase = month - {Phase.START: 0, Phase.EXECUTION: cal.start_months,
                            Phase.CLOSING: cal.start_months + cal.execution_months}[phase]
        label = {Phase.START: "Inicio", Phase.EXECUTION: "Mes", Phase.CLOSING: "Cierre"}[phase]
        alone = phase is not Phase.EXECUTION and (
            cal.start_months if phase is Phase.START else cal.closing_months) == 1
        plan.put(MONTH_ROW, c0 + 1, label if alone else f"{label} {in_phase}")
        plan.put(MONTH_DATE_ROW, c0 + 1, Formula(
            f'=IF({START_CELL}="","",EDATE({START_CELL},{month - 1}))'))
        fmt.merges += [f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_ROW)}",
                       f"{cell(c0, MONTH_DATE_ROW)}:{cell(c1, MONTH_DATE_ROW)}"]
        fill = PHASE_FILL[phase]
        fmt.styles += [
            Styled(f"{cell(c0, MONTH_ROW)}:{cell(c1, MONTH_DATE_ROW)}",
                   Style(fill=fill, bold=True, h_align="center", border="thin", size=9,
                         number_format="mmm-yy")),
        ]
        for q in range(weeks_per_month):
            c = c0 + q
            plan.put(header, c + 1, Formula(
                f'=IF({START_CELL}="","",EDATE({START_CELL},{month - 1})+INT({q}*'
                f'(EDATE({START_CELL},{month})-EDATE({START_CELL},{month - 1}))'
                f'/{weeks_per_month}))'))
            if c < geo.last_week_col:
                nxt = cell(c + 1, header)
                plan.put(WEEK_END_ROW, c + 1, Formula(f'=IF({nxt}="","",{nxt}-1)'))
            else:
                plan.put(WEEK_END_ROW, c + 1, Formula(
                    f'=IF({START_CELL}="","",EDATE({START_CELL},{cal.total_months})-1)'))
    for phase in Phase:
        months = [m for m in range(1, cal.total_months + 1) if cal.phase_of(m) is phase]
        if not months:
            continue
        c0 = geo.first_week_col + (months[0] - 1) * weeks_per_month
        c1 = geo.first_week_col + months[-1] * weeks_per_month - 1
        plan.put(PHASE_ROW, c0 + 1, PHASE_LABELS[phase].upper())
        fmt.merges.append(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}")
        fmt.styles.append(Styled(f"{cell(c0, PHASE_ROW)}:{cell(c1, PHASE_ROW)}", Style(
            fill=PHASE_FILL[phase], bold=True, h_align="center", v_align="center",
            border="thin", size=7, wrap=True)))
    fmt.styles += [
        Styled(geo.week_range(header, header),
               Style(fill=LIGHT, number_format="dd", h_align="center", size=8,
                     border="hair")),
        Styled(geo.week_range(WEEK_END_ROW, WEEK_END_ROW),
               Style(number_format="dd-mm-yyyy", size=8)),
    ]
    fmt.hidden_rows = (WEEK_END_ROW,)

    # Left-block header and the stage/activity rows.
    for c, column in enumerate(layout.columns, start=1):
        plan.put(header, c, column.header(lang))
    fmt.styles.append(Styled(f"A{PHASE_ROW}:{column_letter(left - 1)}{header}", Style(
        fill=DARK, font_color=HEADER_TEXT, bold=True, v_align="bottom", wrap=True)))
    fmt.merges.append(f"A{PHASE_ROW}:{column_letter(left - 1)}{MONTH_DATE_ROW}")
    plan.put(PHASE_ROW, 1, f"{definition.name}\nSemanas: {cal.weeks_per_month} por mes · "
                           f"meses de ejecución {cal.execution_months}")
    r = geo.first_row
    stage_rows: list[int] = []
    wrapped: list[int] = []
    for stage in definition.stages:
        first, last = r + 1, r + len(stage.activities)
        stage_rows.append(r)
        plan.put(r, col["codigo"] + 1, stage.code)
        plan.put(r, col["actividad"] + 1, stage.name)
        for key, fn in (("inicio", "MIN"), ("termino", "MAX")):
            rng = f"{letter[key]}{first}:{letter[key]}{last}"
            plan.put(r, col[key] + 1, Formula(f'=IF(COUNT({rng})=0,"",{fn}({rng}))'))
        avance = f"{letter['avance']}{first}:{letter['avance']}{last}"
        plan.put(r, col["avance"] + 1, Formula(f'=IF(COUNT({avance})=0,"",AVERAGE({avance}))'))
        plan.put(r, col["dias"] + 1, _formula(layout.column("dias"), layout, r))
        # The stage name runs over the (empty) responsible column, on two lines if long.
        fmt.merges.append(f"{cell(col['actividad'], r)}:{cell(col['responsable'], r)}")
        if len(stage.name) > 60:
            fmt.row_heights[r] = 26
            wrapped.append(r)
        r += 1
        for activity in stage.activities:
            plan.put(r, col["codigo"] + 1, activity.code)
            plan.put(r, col["actividad"] + 1, activity.name)
            plan.put(r, col["responsable"] + 1, activity.responsible)
            plan.put(r, col["dias"] + 1, _formula(layout.column("dias"), layout, r))
            plan.put(r, col["ventana"] + 1, describe_window(activity, definition))
            if activity.kind is not ActivityKind.MILESTONE:
                plan.put(r, col["avance"] + 1, 0)
            lines = []
            if activity.products:
                lines += ["Productos:", *(f"• {p}" for p in activity.products)]
            if activity.verifiers:
                lines += ["Verificadores:", *(f"• {v}" for v in activity.verifiers)]
            if activity.window.note:
                lines.append(f"Ventana: {activity.window.note}")
            if activity.source:
                lines.append(f"Fuente: {activity.source}")
            if lines:
                fmt.notes.append(Note(cell(col["actividad"], r), "\n".join(lines)))
            fmt.styles.append(Styled(f"A{r}:{column_letter(left - 1)}{r}",
                                     Style(border="thin")))
            fmt.styles.append(Styled(cell(col["actividad"], r), Style(indent=1, border="thin")))
            r += 1
    for key in ("inicio", "termino"):
        fmt.styles.append(Styled(f"{letter[key]}{geo.first_row}:{letter[key]}{geo.last_row}",
                                 Style(number_format="dd-mm-yyyy", border="thin",
                                       h_align="center")))
    fmt.styles += [
        Styled(f"{letter['dias']}{geo.first_row}:{letter['dias']}{geo.last_row}",
               Style(number_format="0", border="thin", h_align="center")),
        Styled(f"{letter['avance']}{geo.first_row}:{letter['avance']}{geo.last_row}",
               Style(number_format="0%", border="thin", h_align="center")),
        Styled(f"{letter['ventana']}{geo.first_row}:{letter['ventana']}{geo.last_row}",
               Style(border="thin", size=8, font_color=HELP)),
        Styled(geo.week_range(geo.first_row, geo.last_row), Style(border="hair",
                                                                  border_color="D9D9D9")),
    ]
    for stage_row in stage_rows:  # after the column styles, so stage rows stay bold
        fmt.styles.append(Styled(f"A{stage_row}:{column_letter(left - 1)}{stage_row}",
                                 Style(fill=LIGHT, bold=True, border="thin",
                                       number_format="General")))
        for key in ("inicio", "termino"):
            fmt.styles.append(Styled(cell(col[key], stage_row), Style(
                fill=LIGHT, bold=True, border="thin", number_format="dd-mm-yyyy",
                h_align="center")))
        fmt.styles.append(Styled(cell(col["avance"], stage_row), Style(
            fill=LIGHT, bold=True, border="thin", number_format="0%", h_align="center")))
    for stage_row in wrapped:
        fmt.styles.append(Styled(cell(col["actividad"], stage_row), Style(
            fill=LIGHT, bold=True, border="thin", wrap=True, v_align="center")))
    fmt.validations += [
        Validation(f"{letter['avance']}{geo.first_row}:{letter['avance']}{geo.last_row}",
                   "decimal", minimum=0, maximum=1, title="% avance",
                   error="El avance es un porcentaje entre 0% y 100%."),
        Validation(f"{letter['inicio']}{geo.first_row}:{letter['termino']}{geo.last_row}",
                   "date", minimum=date(1990, 1, 1), maximum=date(2199, 12, 31),
                   title="Fecha", error="Escriba una fecha (día-mes-año)."),
    ]
    fmt.conditional += gantt_rules(geo, letter)

    for c, column in enumerate(layout.columns):
        fmt.column_widths[column_letter(c)] = column.width
    for c in range(geo.first_week_col, geo.last_week_col + 1):
        fmt.column_widths[column_letter(c)] = 2.9
    fmt.row_heights.update({1: 26, PHASE_ROW: 24, header: 30})
    fmt.freeze = cell(geo.first_week_col, geo.first_row)
    fmt.print_setup = PrintSetup(repeat_rows=f"{PHASE_ROW}:{header}", paper="legal",
                                 title=layout.title(lang))
    fmt.tab_color = layout.tab_color
    fmt.gridlines = False
    return plan, geo


def gantt_rules(geo: GanttGeometry, letter: dict[str, str]) -> list[ConditionalRule]:
    """The bars: conditional formats that Excel, LibreOffice and Google Sheets all evaluate.

    Each formula is written for the top-left week cell; ``$D10``/``I$9`` style references
    make it slide over the grid.  First true rule wins, so the order is the z-order.
    """
    first = column_letter(geo.first_week_col)
    r = geo.first_row
    start, end = f"${letter['inicio']}{r}", f"${letter['termino']}{r}"
    code, done = f"${letter['codigo']}{r}", f"${letter['avance']}{r}"
    week_start, week_end = f"{first}${geo.header_row}", f"{first}${WEEK_END_ROW}"
    dated = f'{start}<>"",{end}<>""'
    overlaps = f"{week_start}<={end},{week_end}>={start}"
    body = geo.week_range(geo.first_row, geo.last_row)
    header = geo.week_range(geo.header_row, geo.header_row)
    return [
        ConditionalRule(header, f"=AND({week_start}<>\"\",{REFERENCE_CELL}>={week_start},"
                                f"{REFERENCE_CELL}<={first}${WEEK_END_ROW})",
                        Style(fill=MARKER_HEADER, font_color="FFFFFF", bold=True)),
        ConditionalRule(body, f'=AND(ISERROR(FIND(".",{code})),{dated},{overlaps})',
                        Style(fill=STAGE_BAR)),
        ConditionalRule(body, f"=AND({dated},{start}={end},{overlaps})", Style(fill=MILESTONE)),
        ConditionalRule(body, f"=AND({dated},N({done})>0,{overlaps},"
                              f"{week_start}<{start}+({end}-{start}+1)*{done})",
                        Style(fill=PROGRESS)),
        ConditionalRule(body, f"=AND({dated},{overlaps})", Style(fill=BAR)),
        ConditionalRule(body, f"=AND({week_start}<>\"\",{REFERENCE_CELL}>={week_start},"
                              f"{REFERENCE_CELL}<={week_end})", Style(fill=MARKER)),
    ]


# --- the workbook ---------------------------------------------------------------------------

def plan_workbook(definition: ProgrammeDefinition, lang: Lang = "es",
                  data: Mapping[str, Sequence[dict[str, CellValue]]] | None = None
                  ) -> tuple[list[SheetPlan], dict[str, str]]:
    """Every sheet of the Ecomercado workbook, in tab order, and the workbook names.

    ``data`` pre-fills table sheets by layout key (rows as ``{column key: value}``); a value
    given for a computed column replaces its formula.
    """
    data = data or {}
    lists = ListRegistry()
    plans: list[SheetPlan] = []
    names: dict[str, str] = {}
    for layout in ECOMERCADO_LAYOUTS:
        if layout is PROGRAMA:
            plan, names = programa_sheet(definition, lists, lang)
        elif layout is GANTT:
            plan, _ = gantt_sheet(definition, lang)
        elif layout is INFORMES and layout.key not in data:
            prefill = [{"n": a.report, "mes": definition.month_number(a.window.end),
                        "estado": "Pendiente"}
                       for a in definition.reports]
            plan = table_sheet(layout, definition, lists, lang, prefill)
        else:
            plan = table_sheet(layout, definition, lists, lang, data.get(layout.key, ()))
        plans.append(plan)
    plans.append(lists.plan())
    return plans, names


def write_workbook(backend: Backend, definition: ProgrammeDefinition, lang: Lang = "es",
                   data: Mapping[str, Sequence[dict[str, CellValue]]] | None = None) -> None:
    """Add every sheet to an empty backend workbook: one block and one format call each."""
    plans, names = plan_workbook(definition, lang, data)
    for plan in plans:
        backend.add_sheet(plan.name)
    backend.define_names(names)
    for plan in plans:
        width = max((len(r) for r in plan.rows), default=0)
        block = [row + [None] * (width - len(row)) for row in plan.rows]
        backend.write_block(plan.name, "A1", block)
        backend.format_sheet(plan.name, plan.fmt)


def default_output(definition: ProgrammeDefinition) -> Path:
    return Path(f"{definition.id}.xlsx")


def build_file(definition: ProgrammeDefinition, output: Path, *, start: date | None = None,
               cutoff: date | None = None, overwrite: bool = False, lang: Lang = "es") -> Path:
    """Build the workbook (populated when ``start`` is given) and write it atomically."""
    output = Path(output)
    check_writable(output, overwrite=overwrite)
    backend = OpenpyxlBackend.create(output)
    write_workbook(backend, definition, lang)
    embed_programme(backend, definition)  # a user's own programme travels with the workbook
    if start is not None:
        populate_gantt(backend, definition, start, cutoff)
    elif cutoff is not None:  # a template keeps the cut-off it was asked for (Programa sheet)
        write_form_values(backend, {"fecha_corte": cutoff})
    backend.save()
    return output
